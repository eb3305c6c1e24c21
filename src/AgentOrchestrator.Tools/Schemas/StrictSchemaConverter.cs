using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentOrchestrator.Tools.Schemas;

/// <summary>
/// Derives the OpenAI strict-mode schema the model is given from a tool's full parameter schema: every
/// property is required and optional ones become nullable, every object gets
/// <c>additionalProperties: false</c>. The constraints strict mode enforces while the model writes stay in
/// the schema (<c>pattern</c>, the <c>format</c>s it knows, <c>minimum</c>, <c>maximum</c>,
/// <c>exclusiveMinimum</c>, <c>exclusiveMaximum</c>, <c>multipleOf</c>, <c>minItems</c>, <c>maxItems</c>, as
/// OpenAI's Structured Outputs guide lists them); the rest (<c>minLength</c>, <c>maxLength</c>,
/// <c>uniqueItems</c>, other formats, patterns with lookarounds or backreferences, defaults, examples) are
/// stated in the description instead, so the model still knows them. The full schema stays in force
/// server-side. Also checks a schema for mistakes strict mode cannot express or that would make it meaningless.
/// </summary>
public static partial class StrictSchemaConverter
{
    /// <summary>Deepest object/array nesting a strict schema may have.</summary>
    public const int MaxDepth = 10;

    private static readonly HashSet<string> TypeNames = ["string", "number", "integer", "boolean", "object", "array", "null"];

    /// <summary>Text as the model reads it: <c>'</c>, <c>&lt;</c> or <c>é</c> stay as they are, not <c>\u0027</c>, which costs tokens.
    /// The schema goes into a JSON API request, never into HTML.</summary>
    private static readonly JsonSerializerOptions ModelText = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Constraints strict mode enforces as they are (OpenAI's "Supported properties").</summary>
    private static readonly HashSet<string> KeptAsTheyAre =
        ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems"];

    /// <summary>The string formats strict mode knows.</summary>
    private static readonly HashSet<string> StrictFormats =
        ["date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"];

    /// <summary>Constraints the server enforces that strict mode does not take: stated in the description.</summary>
    private static readonly HashSet<string> MovedToDescription = ["minLength", "maxLength", "uniqueItems"];

    /// <summary>Converts a full parameter schema; <paramref name="errors"/> receives (pointer suffix, reason) pairs.</summary>
    /// <param name="parameters">The full schema (an object schema).</param>
    /// <param name="errors">Receives problems, with pointers relative to <paramref name="parameters"/>.</param>
    /// <returns>The strict schema; meaningless when <paramref name="errors"/> grew.</returns>
    public static JsonElement Convert(JsonElement parameters, ICollection<(string Pointer, string Message)> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var node = ConvertNode(parameters, string.Empty, nullable: false, depth: 0, strict: true, errors);
        using var document = JsonDocument.Parse(node.ToJsonString(ModelText));
        return document.RootElement.Clone();
    }

    /// <summary>Checks a schema that is not given to the model (a result schema) for type names and
    /// patterns; it may stay open (required names need not be listed properties).</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="errors">Receives problems, with pointers relative to <paramref name="schema"/>.</param>
    public static void Check(JsonElement schema, ICollection<(string Pointer, string Message)> errors) =>
        ConvertNode(schema, string.Empty, nullable: false, depth: 0, strict: false, errors);

    private static JsonObject ConvertNode(JsonElement node, string pointer, bool nullable, int depth, bool strict, ICollection<(string, string)> errors)
    {
        var result = new JsonObject();
        if (depth > MaxDepth)
        {
            errors.Add((pointer, $"nests deeper than {MaxDepth} levels, which strict mode does not allow"));
            return result;
        }

        var types = ReadTypes(node, pointer, errors);
        var notes = new List<string>();
        var extras = new List<string>();
        foreach (var property in node.EnumerateObject())
        {
            switch (property.Name)
            {
                case "type" or "properties" or "required" or "additionalProperties":
                    break;
                case "default":
                    extras.Add($"Default: {Render(property.Value)}.");
                    break;
                case "examples" when property.Value.ValueKind == JsonValueKind.Array && property.Value.GetArrayLength() > 0:
                    extras.Add($"Examples: {string.Join(", ", property.Value.EnumerateArray().Select(Render))}.");
                    break;
                case "examples":
                    break;
                case "items":
                    result["items"] = ConvertNode(property.Value, pointer + "/items", false, depth + 1, strict, errors);
                    break;
                case "anyOf":
                    var branches = new JsonArray();
                    var index = 0;
                    foreach (var branch in property.Value.EnumerateArray())
                    {
                        branches.Add(ConvertNode(branch, $"{pointer}/anyOf/{index++}", false, depth + 1, strict, errors));
                    }

                    result["anyOf"] = branches;
                    break;
                case "pattern":
                    var pattern = property.Value.GetString()!;
                    CheckPattern(pattern, pointer + "/pattern", errors);
                    if (StrictModeTakes(pattern))
                    {
                        result["pattern"] = pattern;
                    }
                    else
                    {
                        notes.Add($"pattern {pattern}");
                    }

                    break;
                case "format" when StrictFormats.Contains(property.Value.GetString() ?? string.Empty):
                case var kept when KeptAsTheyAre.Contains(kept):
                    result[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                    break;
                case "format":
                case var name when MovedToDescription.Contains(name):
                    notes.Add($"{property.Name} {Render(property.Value)}");
                    break;
                default:
                    result[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                    break;
            }
        }

        var isObject = types.Contains("object") || (types.Count == 0 && node.TryGetProperty("properties", out _));
        if (isObject)
        {
            ConvertObject(node, pointer, depth, strict, result, errors);
        }
        else if (strict && types.Count == 0 && !node.TryGetProperty("type", out _) && !node.TryGetProperty("enum", out _) && !node.TryGetProperty("const", out _) && !node.TryGetProperty("anyOf", out _))
        {
            errors.Add((pointer, "needs a type (or enum, const or anyOf): strict mode gives the model no untyped values"));
        }

        if (strict && nullable && !types.Contains("null"))
        {
            types.Add("null");
            if (result["enum"] is JsonArray values && !values.Any(v => v is null))
            {
                values.Add(null);
            }

            if (result["anyOf"] is JsonArray anyOf)
            {
                anyOf.Add(new JsonObject { ["type"] = "null" });
            }
        }

        if (notes.Count > 0)
        {
            extras.Insert(0, "Constraints: " + string.Join("; ", notes) + ".");
        }

        if (strict && extras.Count > 0)
        {
            var description = result["description"]?.GetValue<string>();
            var added = string.Join(" ", extras);
            result["description"] = string.IsNullOrEmpty(description) ? added : $"{description.TrimEnd()} {added}";
        }

        if (types.Count == 0)
        {
            return result;
        }

        // "type" first, as people write schemas.
        var ordered = new JsonObject { ["type"] = types.Count == 1 ? JsonValue.Create(types[0]) : new JsonArray([.. types.Select(t => (JsonNode?)JsonValue.Create(t))]) };
        foreach (var (key, value) in result.ToList())
        {
            result.Remove(key);
            ordered[key] = value;
        }

        return ordered;
    }

    private static void ConvertObject(JsonElement node, string pointer, int depth, bool strict, JsonObject result, ICollection<(string, string)> errors)
    {
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (node.TryGetProperty("required", out var requiredElement))
        {
            var index = 0;
            foreach (var name in requiredElement.EnumerateArray())
            {
                var text = name.GetString()!;
                if (strict && (!node.TryGetProperty("properties", out var props) || !props.TryGetProperty(text, out _)))
                {
                    errors.Add(($"{pointer}/required/{index}", $"names '{text}', which is not one of the properties"));
                }

                required.Add(text);
                index++;
            }
        }

        var properties = new JsonObject();
        if (node.TryGetProperty("properties", out var propertiesElement))
        {
            foreach (var property in propertiesElement.EnumerateObject())
            {
                properties[property.Name] = ConvertNode(property.Value, $"{pointer}/properties{JsonPointers.Format([property.Name])}",
                    nullable: !required.Contains(property.Name), depth + 1, strict, errors);
            }
        }

        if (!strict)
        {
            if (properties.Count > 0)
            {
                result["properties"] = properties;
            }

            return;
        }

        if (node.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.True)
        {
            errors.Add((pointer + "/additionalProperties", "must be false: strict mode cannot give the model open objects; list the properties instead"));
        }

        // A tool may take no arguments at all, but a nested object without properties can only ever be {}:
        // almost always a free-form object that strict mode cannot express.
        if (properties.Count == 0 && depth > 0)
        {
            errors.Add((pointer, "is an object without properties, which strict mode cannot express; list its properties"));
        }

        result["properties"] = properties;
        result["required"] = new JsonArray([.. properties.Select(p => (JsonNode?)JsonValue.Create(p.Key))]);
        result["additionalProperties"] = false;
    }

    private static List<string> ReadTypes(JsonElement node, string pointer, ICollection<(string, string)> errors)
    {
        var types = new List<string>();
        if (!node.TryGetProperty("type", out var type))
        {
            return types;
        }

        var index = 0;
        foreach (var item in type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().ToList() : [type])
        {
            var itemPointer = type.ValueKind == JsonValueKind.Array ? $"{pointer}/type/{index}" : pointer + "/type";
            var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
            if (!TypeNames.Contains(name))
            {
                errors.Add((itemPointer, $"'{name}' is not a JSON Schema type (use one of {string.Join(", ", TypeNames)})"));
            }
            else if (!types.Contains(name))
            {
                types.Add(name);
            }

            index++;
        }

        return types;
    }

    private static void CheckPattern(string pattern, string pointer, ICollection<(string, string)> errors)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            errors.Add((pointer, $"is not a valid regular expression: {ex.Message}"));
        }
    }

    /// <summary>Whether strict mode can enforce <paramref name="pattern"/>: it takes no lookarounds and no backreferences.</summary>
    private static bool StrictModeTakes(string pattern) =>
        !LookaroundOrBackreference().IsMatch(pattern);

    [GeneratedRegex(@"\(\?<?[=!]|\\[1-9]|\\k<", RegexOptions.CultureInvariant)]
    private static partial Regex LookaroundOrBackreference();

    private static string Render(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };
}
