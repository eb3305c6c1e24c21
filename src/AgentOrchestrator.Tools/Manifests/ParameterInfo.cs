using System.Text.Json;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>The top-level parameters of a tool, for checking placeholders and paths that name them.</summary>
internal sealed class ParameterInfo
{
    private readonly Dictionary<string, JsonElement> _properties = new(StringComparer.Ordinal);
    private readonly HashSet<string> _required = new(StringComparer.Ordinal);

    public ParameterInfo(JsonElement parameters)
    {
        if (parameters.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                _properties[property.Name] = property.Value;
            }
        }

        if (parameters.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray())
            {
                _required.Add(name.GetString()!);
            }
        }
    }

    public IReadOnlyCollection<string> Names => _properties.Keys;

    public IReadOnlySet<string> Required => _required;

    public bool Has(string name) => _properties.ContainsKey(name);

    public bool IsRequired(string name) => _required.Contains(name);

    /// <summary>Whether the parameter is not an object or array, so it fits a URL or header.</summary>
    public bool IsScalar(string name)
    {
        if (!_properties.TryGetValue(name, out var schema))
        {
            return false;
        }

        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("enum", out _);
        }

        var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()) : [type.GetString()];
        return !types.Any(t => t is "object" or "array");
    }

    public string Describe() => _properties.Count == 0 ? "none" : string.Join(", ", _properties.Keys);
}
