using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentOrchestrator.Tools.Manifests;

namespace AgentOrchestrator.Tools.Invocation;

/// <summary>Turns arguments into the text that fills URL, header and key placeholders.</summary>
internal static class ArgumentText
{
    /// <summary>Longest idempotency key sent; longer keys are replaced by their SHA-256, which is just as stable.</summary>
    public const int MaxKeyLength = 255;

    /// <summary>The text of top-level argument <paramref name="name"/>; null when absent or null.</summary>
    /// <exception cref="ArgumentException">The argument is an object or an array.</exception>
    public static string? Scalar(JsonElement arguments, string name)
    {
        if (arguments.ValueKind != JsonValueKind.Object || !arguments.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => throw new ArgumentException($"argument '{name}' is {value.ValueKind.ToString().ToLowerInvariant()}, which cannot go into a URL or header"),
        };
    }

    /// <summary>Builds the idempotency key the service sees from the manifest's key template.</summary>
    public static string? IdempotencyKey(ToolDefinition tool, JsonElement arguments, string orchestratorKey)
    {
        if (tool.Idempotency is null)
        {
            return null;
        }

        TextTemplate.TryParse(tool.Idempotency.KeyTemplate, out var template, out _);
        var key = template!.Expand(name => name switch
        {
            "key" => orchestratorKey,
            "tool" => tool.Name,
            _ => Scalar(arguments, name[5..]) ?? string.Empty,
        })!;
        return key.Length <= MaxKeyLength ? key : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
