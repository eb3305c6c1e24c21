using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentOrchestrator.Tools.Schemas;

/// <summary>
/// Undoes what strict mode does to optional properties: the model must send every property and sends
/// <c>null</c> for the ones it leaves out, so a <c>null</c> for an optional property means "absent". Such
/// properties are removed before the full schema checks the arguments and before the tool is called, at every
/// depth: in nested objects, array items and the object shape of an <c>anyOf</c>. A <c>null</c> for a required
/// property stays, and the full schema says whether it is allowed.
/// </summary>
internal static class ArgumentNormalizer
{
    public static JsonElement Normalize(JsonElement schema, JsonElement arguments)
    {
        var node = JsonNode.Parse(arguments.GetRawText());
        Strip(schema, node);
        using var document = JsonDocument.Parse(node?.ToJsonString() ?? "null");
        return document.RootElement.Clone();
    }

    private static void Strip(JsonElement schema, JsonNode? node)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (node is JsonObject obj && schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (!obj.TryGetPropertyValue(property.Name, out var value))
                {
                    continue;
                }

                if (value is null && !IsRequired(schema, property.Name))
                {
                    obj.Remove(property.Name);
                }
                else
                {
                    Strip(property.Value, value);
                }
            }
        }
        else if (node is JsonArray array && schema.TryGetProperty("items", out var items))
        {
            foreach (var item in array)
            {
                Strip(items, item);
            }
        }
        else if (node is JsonObject or JsonArray && OnlyShapeFor(schema, node) is { } shape)
        {
            Strip(shape, node);
        }
    }

    /// <summary>The one <c>anyOf</c> branch that describes objects (or arrays) like <paramref name="node"/>; with
    /// several, which one the model meant is not known, and nothing is removed.</summary>
    private static JsonElement? OnlyShapeFor(JsonElement schema, JsonNode node)
    {
        if (!schema.TryGetProperty("anyOf", out var branches) || branches.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var keyword = node is JsonObject ? "properties" : "items";
        var shapes = branches.EnumerateArray().Where(b => b.ValueKind == JsonValueKind.Object && b.TryGetProperty(keyword, out _)).ToList();
        return shapes.Count == 1 ? shapes[0] : null;
    }

    private static bool IsRequired(JsonElement schema, string name) =>
        schema.TryGetProperty("required", out var required) && required.EnumerateArray().Any(r => r.GetString() == name);
}
