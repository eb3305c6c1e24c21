using System.Text.Json;

namespace AgentOrchestrator.Tools.Schemas;

/// <summary>The outcome of checking a call's arguments against a tool's full schema.</summary>
/// <param name="Errors">The problems found; empty when the arguments are valid.</param>
/// <param name="Arguments">The arguments to call the tool with: strict-mode nulls for optional properties removed.</param>
public sealed record ToolArgumentValidationResult(IReadOnlyList<ToolArgumentError> Errors, JsonElement Arguments)
{
    /// <summary>Whether the arguments are valid.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>All errors on one line each, ready to hand back to the model as a tool error.</summary>
    public string Describe() => string.Join(Environment.NewLine, Errors);
}
