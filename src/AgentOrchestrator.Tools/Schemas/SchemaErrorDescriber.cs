using System.Globalization;
using AgentOrchestrator.Tools.Manifests;
using AgentOrchestrator.Tools.Sagas;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace AgentOrchestrator.Tools.Schemas;

/// <summary>Turns NJsonSchema validation errors into locations and sentences a person or a model can act on.</summary>
internal static class SchemaErrorDescriber
{
    /// <summary>A described error: the location as path steps, the reason and the line.</summary>
    internal sealed record Described(IReadOnlyList<JsonPathSegment> Segments, string Message, int? Line);

    /// <summary>Flattens wrapper errors (array items, nested schemas) and describes each leaf once.</summary>
    public static List<Described> Describe(IEnumerable<ValidationError> errors)
    {
        var result = new List<Described>();
        foreach (var error in Flatten(errors))
        {
            var tokens = JsonPointer.SegmentsOf(error.Token);
            if (error.Kind == ValidationErrorKind.PropertyRequired && error.Property is { } missing)
            {
                tokens.Add(JsonPathSegment.ForProperty(missing));
            }
            else if (error.Kind == ValidationErrorKind.NoAdditionalPropertiesAllowed && error.Property is { } extra
                && (tokens.Count == 0 || tokens[^1].Name != extra))
            {
                tokens.Add(JsonPathSegment.ForProperty(extra));
            }

            var described = new Described(tokens, Message(error), error.HasLineInfo ? error.LineNumber : null);
            if (!result.Exists(d => d.Segments.SequenceEqual(described.Segments) && d.Message == described.Message))
            {
                result.Add(described);
            }
        }

        return result;
    }

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && error.Kind is not (ValidationErrorKind.NotAnyOf or ValidationErrorKind.NotOneOf or ValidationErrorKind.NotAllOf))
            {
                var children = child.Errors.SelectMany(e => e.Value).ToList();
                if (children.Count > 0)
                {
                    foreach (var inner in Flatten(children))
                    {
                        yield return inner;
                    }

                    continue;
                }
            }

            yield return error;
        }
    }

    private static string Message(ValidationError error)
    {
        var schema = error.Schema;
        var got = Got(error.Token);
        return error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => "is required",
            ValidationErrorKind.NoAdditionalPropertiesAllowed => "is not an allowed property" + Allowed(schema),
            ValidationErrorKind.StringExpected => "must be a string" + got,
            ValidationErrorKind.NumberExpected => "must be a number" + got,
            ValidationErrorKind.IntegerExpected => "must be an integer" + got,
            ValidationErrorKind.BooleanExpected => "must be true or false" + got,
            ValidationErrorKind.ObjectExpected => "must be an object" + got,
            ValidationErrorKind.ArrayExpected => "must be an array" + got,
            ValidationErrorKind.NullExpected => "must be null" + got,
            ValidationErrorKind.NoTypeValidates => "has the wrong type" + got,
            ValidationErrorKind.PatternMismatch => $"must match the pattern {schema?.Pattern}" + got,
            ValidationErrorKind.StringTooShort => $"must be at least {schema?.MinLength} characters long" + got,
            ValidationErrorKind.StringTooLong => $"must be at most {schema?.MaxLength} characters long" + got,
            ValidationErrorKind.NumberTooSmall => (schema?.ExclusiveMinimum is { } exMin
                ? $"must be greater than {Num(exMin)}"
                : schema?.IsExclusiveMinimum == true ? $"must be greater than {Num(schema.Minimum)}" : $"must be at least {Num(schema?.Minimum)}") + got,
            ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig => (schema?.ExclusiveMaximum is { } exMax
                ? $"must be less than {Num(exMax)}"
                : schema?.IsExclusiveMaximum == true ? $"must be less than {Num(schema.Maximum)}" : $"must be at most {Num(schema?.Maximum)}") + got,
            ValidationErrorKind.NumberNotMultipleOf or ValidationErrorKind.IntegerNotMultipleOf => $"must be a multiple of {Num(schema?.MultipleOf)}" + got,
            ValidationErrorKind.TooFewItems => $"must have at least {schema?.MinItems} items",
            ValidationErrorKind.TooManyItems => $"must have at most {schema?.MaxItems} items",
            ValidationErrorKind.ItemsNotUnique => "must not contain duplicate items",
            ValidationErrorKind.NotInEnumeration => "must be one of " + string.Join(", ", schema?.Enumeration.Select(Render) ?? []) + got,
            ValidationErrorKind.DateTimeExpected => "must be an RFC 3339 date-time such as 2025-01-31T09:30:00Z" + got,
            ValidationErrorKind.DateExpected => "must be a date such as 2025-01-31" + got,
            ValidationErrorKind.TimeExpected => "must be a time such as 09:30:00" + got,
            ValidationErrorKind.EmailExpected => "must be an email address" + got,
            ValidationErrorKind.UriExpected => "must be an absolute URI" + got,
            ValidationErrorKind.GuidExpected or ValidationErrorKind.UuidExpected => "must be a UUID" + got,
            ValidationErrorKind.HostnameExpected => "must be a host name" + got,
            ValidationErrorKind.IpV4Expected => "must be an IPv4 address" + got,
            ValidationErrorKind.IpV6Expected => "must be an IPv6 address" + got,
            ValidationErrorKind.NotAnyOf or ValidationErrorKind.NotOneOf or ValidationErrorKind.NotAllOf => "matches none of the allowed shapes" + got,
            ValidationErrorKind.TooFewProperties or ValidationErrorKind.TooManyProperties =>
                $"has too {(error.Kind == ValidationErrorKind.TooFewProperties ? "few" : "many")} properties" + (schema?.Description is { } d ? $": {d}" : string.Empty),
            _ => $"is not valid ({error.Kind})" + got,
        };
    }

    private static string Allowed(JsonSchema? schema)
    {
        var names = schema?.ActualProperties.Keys.ToList();
        return names is { Count: > 0 } ? $" (allowed: {string.Join(", ", names)})" : string.Empty;
    }

    private static string Num(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string Got(JToken? token)
    {
        if (token is null or JProperty or JContainer)
        {
            return token is JContainer and not JProperty ? $" (got {(token is JArray ? "an array" : "an object")})" : string.Empty;
        }

        return $" (got {Render(token)})";
    }

    private static string Render(object? value)
    {
        var text = value switch
        {
            null => "null",
            JValue { Type: JTokenType.Null } => "null",
            JValue { Type: JTokenType.String } v => $"\"{v.Value}\"",
            JValue { Type: JTokenType.Boolean } v => true.Equals(v.Value) ? "true" : "false",
            JValue v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "null",
            string s => $"\"{s}\"",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
        };
        return text.Length > 60 ? text[..57] + "..." : text;
    }
}
