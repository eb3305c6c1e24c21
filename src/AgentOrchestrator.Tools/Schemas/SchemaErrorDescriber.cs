using System.Text.Json;
using AgentOrchestrator.Tools.Sagas;
using Json.Pointer;
using Json.Schema;

namespace AgentOrchestrator.Tools.Schemas;

/// <summary>
/// Turns JsonSchema.Net's evaluation results into one location and reason per problem, in words a person or a
/// model can act on: <c>must match the pattern ^in_[a-z0-9]+$ (got "inv-1")</c> rather than the library's
/// generic sentence. A missing property is reported at the property, an <c>anyOf</c> that no branch matches once
/// at its value, and a branch that failed next to one that matched not at all.
/// </summary>
internal static class SchemaErrorDescriber
{
    public static List<SchemaError> Describe(JsonElement schema, JsonElement instance, EvaluationResults results)
    {
        var nodes = results.Details ?? [];
        var described = new List<SchemaError>();
        foreach (var node in nodes.Prepend(results).Where(n => !n.IsValid && n.Errors is { Count: > 0 }))
        {
            var steps = SchemaPath.Walk(schema, node.EvaluationPath);
            var location = SchemaPath.Decode(node.InstanceLocation);
            if (steps?.FindIndex(s => s.Keyword == "anyOf") is { } branch and >= 0)
            {
                if (AnotherBranchPassed(nodes, node, steps[branch]))
                {
                    continue;
                }

                // No branch matched: one error for the value, not one per branch and keyword.
                var at = location[..steps[branch].InstanceDepth];
                Add(described, instance, at, at, "matches none of the allowed shapes" + Got(Resolve(instance, at)));
                continue;
            }

            var value = Resolve(instance, location);
            foreach (var (keyword, libraryMessage) in node.Errors!)
            {
                if (steps is null)
                {
                    Add(described, instance, location, location, Fallback(keyword, libraryMessage));
                    continue;
                }

                foreach (var (at, message) in Explain(keyword, libraryMessage, steps, location, value))
                {
                    Add(described, instance, at, location, message);
                }
            }
        }

        return described;
    }

    private static IEnumerable<(string[] At, string Message)> Explain(string keyword, string libraryMessage, List<SchemaPath.Step> steps, string[] location, JsonElement? value)
    {
        var schema = steps[^1].Schema;
        var got = Got(value);
        switch (keyword)
        {
            case "required":
                var present = value is { ValueKind: JsonValueKind.Object } obj ? obj.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal) : [];
                foreach (var name in Strings(schema, "required").Where(n => !present.Contains(n)))
                {
                    yield return ([.. location, name], "is required");
                }

                yield break;
            case "" when steps[^1].Keyword == "additionalProperties" && steps.Count > 1:
                var allowed = Keyword(steps[^2].Schema, "properties") is { ValueKind: JsonValueKind.Object } properties
                    ? properties.EnumerateObject().Select(p => p.Name).ToList()
                    : [];
                yield return (location, "is not an allowed property" + (allowed.Count > 0 ? $" (allowed: {string.Join(", ", allowed)})" : string.Empty));
                yield break;
            case "":
                yield return (location, "is not allowed here");
                yield break;
        }

        var bound = Keyword(schema, keyword);
        var text = bound is { } b ? Render(b, quote: false) : "?";
        yield return (location, keyword switch
        {
            "type" => TypeMessage(bound) + got,
            "pattern" => $"must match the pattern {text}" + got,
            "minLength" => $"must be at least {text} characters long" + got,
            "maxLength" => $"must be at most {text} characters long" + got,
            "minimum" => $"must be at least {text}" + got,
            "maximum" => $"must be at most {text}" + got,
            "exclusiveMinimum" => $"must be greater than {text}" + got,
            "exclusiveMaximum" => $"must be less than {text}" + got,
            "multipleOf" => $"must be a multiple of {text}" + got,
            "minItems" => $"must have at least {text} items",
            "maxItems" => $"must have at most {text} items",
            "uniqueItems" => "must not contain duplicate items",
            "enum" => "must be one of " + string.Join(", ", bound is { ValueKind: JsonValueKind.Array } values ? values.EnumerateArray().Select(v => Render(v, quote: true)) : []) + got,
            "const" => $"must be {(bound is { } c ? Render(c, quote: true) : "?")}" + got,
            "format" => FormatMessage(bound?.GetString()) + got,
            "minProperties" => "has too few properties" + Description(schema),
            "maxProperties" => "has too many properties" + Description(schema),
            _ => Fallback(keyword, libraryMessage),
        });
    }

    private static bool AnotherBranchPassed(IReadOnlyList<EvaluationResults> nodes, EvaluationResults failed, SchemaPath.Step branch)
    {
        // The step's path ends ".../anyOf/<i>"; its siblings are ".../anyOf/<j>" on the same value.
        var combinator = JsonPointers.Create(SchemaPath.Decode(failed.EvaluationPath)[..(branch.PathLength - 1)]);
        var at = JsonPointers.Create(SchemaPath.Decode(failed.InstanceLocation)[..branch.InstanceDepth]);
        return nodes.Any(n => n.IsValid
            && n.InstanceLocation.Equals(at)
            && n.EvaluationPath.SegmentCount == combinator.SegmentCount + 1
            && n.EvaluationPath.StartsWith(combinator));
    }

    private static void Add(List<SchemaError> described, JsonElement instance, string[] at, string[] value, string message)
    {
        var error = new SchemaError(Segments(instance, at), message, JsonPointers.Create(value));
        if (!described.Exists(d => d.Segments.SequenceEqual(error.Segments) && d.Message == error.Message))
        {
            described.Add(error);
        }
    }

    /// <summary>Turns pointer segments into path steps, telling array indexes from property names by the value itself.</summary>
    private static List<JsonPathSegment> Segments(JsonElement instance, string[] location)
    {
        var segments = new List<JsonPathSegment>(location.Length);
        JsonElement? current = instance;
        foreach (var segment in location)
        {
            if (current is { ValueKind: JsonValueKind.Array } array && int.TryParse(segment, out var index))
            {
                segments.Add(JsonPathSegment.ForIndex(index));
                current = index < array.GetArrayLength() ? array[index] : null;
            }
            else
            {
                segments.Add(JsonPathSegment.ForProperty(segment));
                current = current is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(segment, out var child) ? child : null;
            }
        }

        return segments;
    }

    private static JsonElement? Resolve(JsonElement instance, string[] location) =>
        JsonPointers.Create(location).Evaluate(instance);

    private static JsonElement? Keyword(JsonElement schema, string name) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(name, out var value) ? value : null;

    private static IEnumerable<string> Strings(JsonElement schema, string name) =>
        Keyword(schema, name) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)
            : [];

    private static string TypeMessage(JsonElement? type)
    {
        var names = type switch
        {
            { ValueKind: JsonValueKind.String } single => [single.GetString()!],
            { ValueKind: JsonValueKind.Array } several => several.EnumerateArray().Select(t => t.GetString() ?? "?").ToList(),
            _ => new List<string>(),
        };
        return names.Count == 0 ? "has the wrong type" : "must be " + string.Join(" or ", names.Select(TypeName));

        static string TypeName(string type) => type switch
        {
            "string" => "a string",
            "number" => "a number",
            "integer" => "an integer",
            "boolean" => "true or false",
            "object" => "an object",
            "array" => "an array",
            "null" => "null",
            _ => type,
        };
    }

    private static string FormatMessage(string? format) => format switch
    {
        "date-time" => "must be an RFC 3339 date-time such as 2025-01-31T09:30:00Z",
        "date" => "must be a date such as 2025-01-31",
        "time" => "must be a time such as 09:30:00Z",
        "email" => "must be an email address",
        "uri" => "must be an absolute URI",
        "uuid" => "must be a UUID",
        "hostname" => "must be a host name",
        "ipv4" => "must be an IPv4 address",
        "ipv6" => "must be an IPv6 address",
        _ => $"must be in the format {format}",
    };

    private static string Description(JsonElement schema) =>
        Keyword(schema, "description") is { ValueKind: JsonValueKind.String } description ? $": {description.GetString()}" : string.Empty;

    private static string Fallback(string keyword, string libraryMessage) =>
        keyword.Length == 0 ? $"is not valid: {libraryMessage}" : $"is not valid ({keyword}: {libraryMessage})";

    private static string Got(JsonElement? value) => value switch
    {
        null => string.Empty,
        { ValueKind: JsonValueKind.Object } => " (got an object)",
        { ValueKind: JsonValueKind.Array } => " (got an array)",
        { } scalar => $" (got {Render(scalar, quote: true)})",
    };

    /// <summary>A value as written: strings quoted (when <paramref name="quote"/>), numbers exactly as in the JSON.</summary>
    private static string Render(JsonElement value, bool quote)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String when quote => $"\"{value.GetString()}\"",
            JsonValueKind.String => value.GetString()!,
            _ => value.GetRawText(),
        };
        return text.Length > 60 ? text[..57] + "..." : text;
    }
}
