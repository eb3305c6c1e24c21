using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentOrchestrator.Tools.Sagas;

/// <summary>
/// Builds JSON from a mapping template: a string starting with <c>$</c> is replaced by the value its path
/// names in the context (e.g. <c>{ "args": ..., "result": ... }</c>), a string starting with <c>$$</c> is the
/// literal text without the first <c>$</c>, and everything else is copied as is. An object property whose
/// path names nothing is left out, so optional values stay optional.
/// </summary>
public static class ArgumentMapping
{
    /// <summary>Returns whether <paramref name="value"/> is a path reference rather than a literal.</summary>
    /// <param name="value">A string from a mapping template.</param>
    public static bool IsPath(string value) => value.StartsWith('$') && !value.StartsWith("$$", StringComparison.Ordinal);

    /// <summary>Applies <paramref name="template"/> to <paramref name="context"/>.</summary>
    /// <param name="template">The mapping template.</param>
    /// <param name="context">The document paths are evaluated against.</param>
    /// <returns>The built value and the paths that named nothing.</returns>
    public static ArgumentMappingResult Apply(JsonElement template, JsonElement context)
    {
        var missing = new List<string>();
        var node = Map(template, context, missing);
        var json = node is null ? "null" : node.ToJsonString();
        using var document = JsonDocument.Parse(json);
        return new ArgumentMappingResult(document.RootElement.Clone(), missing);
    }

    /// <summary>Lists every path reference in <paramref name="template"/> with the JSON pointer where it occurs.</summary>
    /// <param name="template">The mapping template.</param>
    public static IEnumerable<(string Pointer, string Path)> EnumeratePaths(JsonElement template)
    {
        return Walk(template, string.Empty);

        static IEnumerable<(string, string)> Walk(JsonElement element, string pointer)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String when IsPath(element.GetString()!):
                    yield return (pointer, element.GetString()!);
                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        foreach (var item in Walk(property.Value, pointer + Schemas.JsonPointers.Format([property.Name])))
                        {
                            yield return item;
                        }
                    }

                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var value in element.EnumerateArray())
                    {
                        foreach (var item in Walk(value, pointer + "/" + index++))
                        {
                            yield return item;
                        }
                    }

                    break;
                default:
                    break;
            }
        }
    }

    private static JsonNode? Map(JsonElement template, JsonElement context, List<string> missing)
    {
        switch (template.ValueKind)
        {
            case JsonValueKind.String:
                var text = template.GetString()!;
                if (text.StartsWith("$$", StringComparison.Ordinal))
                {
                    return JsonValue.Create(text[1..]);
                }

                if (!IsPath(text))
                {
                    return JsonValue.Create(text);
                }

                if (JsonPathExpression.TryParse(text, out var path, out _) && path.TryEvaluate(context, out var value))
                {
                    return JsonNode.Parse(value.GetRawText());
                }

                missing.Add(text);
                return null;
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in template.EnumerateObject())
                {
                    var before = missing.Count;
                    var mapped = Map(property.Value, context, missing);
                    if (mapped is null && missing.Count > before)
                    {
                        continue;
                    }

                    obj[property.Name] = mapped;
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in template.EnumerateArray())
                {
                    array.Add(Map(item, context, missing));
                }

                return array;
            default:
                return JsonNode.Parse(template.GetRawText());
        }
    }
}
