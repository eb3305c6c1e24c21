using System.Text.Json;

namespace AgentOrchestrator.Tools.Schemas;

/// <summary>
/// Checks the arguments of a call (from the model, or mapped for a compensation) against the tool's full
/// JSON Schema, and results against its result schema. Errors name the path and the reason so the model
/// can repair the call.
/// </summary>
public sealed class ToolArgumentValidator
{
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

    private static IReadOnlyList<ToolArgumentError> Check(CompiledSchema schema, JsonElement value) =>
        [.. schema.Validate(value).Select(e => new ToolArgumentError(e.Path, e.Message)).OrderBy(e => e.Path, StringComparer.Ordinal)];

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
