using System.Text.Json;
using Json.Pointer;

namespace AgentOrchestrator.Tools.Schemas;

/// <summary>
/// Follows an evaluation path that JsonSchema.Net reports (e.g. <c>/properties/lines/items/items/properties/sku</c>)
/// through the schema's JSON, so an error can be described from the keyword's own value (the pattern, the bound,
/// the allowed names) instead of the library's generic sentence. Local <c>$ref</c>s are followed. Each step also
/// says how many segments of the instance location it has consumed, which places an <c>anyOf</c> in the instance.
/// </summary>
internal static class SchemaPath
{
    /// <summary>One keyword step of an evaluation path.</summary>
    /// <param name="Keyword">The keyword stepped through (<c>properties</c>, <c>items</c>, <c>anyOf</c>...); empty for the root.</param>
    /// <param name="Schema">The subschema reached.</param>
    /// <param name="PathLength">How many segments of the evaluation path lead to <paramref name="Schema"/>.</param>
    /// <param name="InstanceDepth">How many segments of the instance location lead to the value <paramref name="Schema"/> applies to.</param>
    public sealed record Step(string Keyword, JsonElement Schema, int PathLength, int InstanceDepth);

    /// <summary>Walks <paramref name="evaluationPath"/> from <paramref name="root"/>; null when it leads somewhere this
    /// walker does not know (the error is then described in the library's words).</summary>
    public static List<Step>? Walk(JsonElement root, JsonPointer evaluationPath)
    {
        var segments = Decode(evaluationPath);
        var steps = new List<Step> { new(string.Empty, root, 0, 0) };
        var node = root;
        var depth = 0;
        var i = 0;
        while (i < segments.Length)
        {
            var keyword = segments[i++];
            JsonElement? next;
            switch (keyword)
            {
                case "properties" or "$defs" or "definitions" when i < segments.Length:
                    next = Child(Child(node, keyword), segments[i++]);
                    depth += keyword == "properties" ? 1 : 0;
                    break;
                case "items":
                    next = Child(node, keyword);
                    depth++;

                    // JsonSchema.Net 8.0.5 writes "items" twice into the evaluation path of every array item.
                    if (i < segments.Length && segments[i] == "items")
                    {
                        i++;
                    }

                    break;
                case "additionalProperties":
                    next = Child(node, keyword);
                    depth++;
                    break;
                case "anyOf" or "oneOf" or "allOf" when i < segments.Length && int.TryParse(segments[i], out var index):
                    i++;
                    next = Child(node, keyword) is { ValueKind: JsonValueKind.Array } branches && index < branches.GetArrayLength() ? branches[index] : null;
                    break;
                case "$ref":
                    next = Reference(root, node);
                    break;
                default:
                    return null;
            }

            if (next is not { } reached)
            {
                return null;
            }

            node = reached;
            steps.Add(new(keyword, node, i, depth));
        }

        return steps;
    }

    /// <summary>The segments of a pointer, unescaped.</summary>
    public static string[] Decode(JsonPointer pointer)
    {
        var segments = new string[pointer.SegmentCount];
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = pointer[i].ToString().Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
        }

        return segments;
    }

    private static JsonElement? Child(JsonElement? node, string name) =>
        node is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var child) ? child : null;

    private static JsonElement? Reference(JsonElement root, JsonElement node) =>
        Child(node, "$ref") is { ValueKind: JsonValueKind.String } reference && reference.GetString() is ['#', .. var fragment]
            && JsonPointer.TryParse(fragment, out var pointer)
            ? pointer.Evaluate(root)
            : null;
}
