using System.Text.Json;
using AgentOrchestrator.Tools.Sagas;
using NJsonSchema;
using NJsonSchema.Validation;

namespace AgentOrchestrator.Tools.Schemas;

/// <summary>
/// Checks the arguments of a call (from the model, or mapped for a compensation) against the tool's full
/// JSON Schema, and results against its result schema. Errors name the path and the reason so the model
/// can repair the call.
/// </summary>
public sealed class ToolArgumentValidator
{
    // One validator for every call: JsonSchema.Validate(string) builds a new one each time, grouping the
    // format validators again. It keeps no state between calls, so threads can share it. It must be built
    // from settings, as JsonSchema.Validate does: new JsonSchemaValidator() binds to the params
    // IFormatValidator[] constructor and would check no formats at all (email, date-time, uri...).
    private static readonly JsonSchemaValidator SchemaValidator = new(new JsonSchemaValidatorSettings());

    /// <summary>Checks <paramref name="arguments"/> against <paramref name="tool"/>'s full parameter schema.</summary>
    /// <param name="tool">The tool called.</param>
    /// <param name="arguments">The arguments, as the model sent them (strict-mode nulls allowed).</param>
    /// <returns>The errors, and the normalized arguments to call the tool with.</returns>
    public ToolArgumentValidationResult Validate(ToolDefinition tool, JsonElement arguments)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (arguments.ValueKind != JsonValueKind.Object)
        {
            return new([new ToolArgumentError("$", $"must be a JSON object of arguments (got {Kind(arguments)})")], arguments);
        }

        var normalized = ArgumentNormalizer.Normalize(tool.Parameters, arguments);
        return new(Check(tool.ParametersValidator, normalized), normalized);
    }

    /// <summary>Checks a successful result against <paramref name="tool"/>'s result schema, if it has one.</summary>
    /// <param name="tool">The tool that produced the result.</param>
    /// <param name="result">The result.</param>
    public IReadOnlyList<ToolArgumentError> ValidateResult(ToolDefinition tool, JsonElement result)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return tool.ResultValidator is null ? [] : Check(tool.ResultValidator, result);
    }

    private static IReadOnlyList<ToolArgumentError> Check(JsonSchema schema, JsonElement value)
    {
        // Validating a token built from the element skips writing it out as text and parsing that back.
        var errors = JsonElementToken.TryCreate(value, out var token)
            ? SchemaValidator.Validate(token, schema)
            : SchemaValidator.Validate(value.GetRawText(), schema);
        if (errors.Count == 0)
        {
            return [];
        }

        return SchemaErrorDescriber.Describe(errors)
            .Select(e => new ToolArgumentError(JsonPathExpression.Format(e.Segments), e.Message))
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .ToList();
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
