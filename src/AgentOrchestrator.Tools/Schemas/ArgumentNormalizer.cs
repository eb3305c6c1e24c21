using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentOrchestrator.Tools.Schemas;

/// <summary>
/// Undoes what strict mode does to optional properties: the model must send every property and sends
/// <c>null</c> for the ones it leaves out; the full schema wants them absent. Removes such nulls wherever
/// the full schema does not itself allow null.
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

                if (value is null && !IsRequired(schema, property.Name) && !AllowsNull(property.Value))
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
    }

    private static bool IsRequired(JsonElement schema, string name) =>
        schema.TryGetProperty("required", out var required) && required.EnumerateArray().Any(r => r.GetString() == name);

    private static bool AllowsNull(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return false;
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Any(t => t.GetString() == "null")
            : type.GetString() == "null";
    }
}
