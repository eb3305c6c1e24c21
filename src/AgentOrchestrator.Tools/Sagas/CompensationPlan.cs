namespace AgentOrchestrator.Tools.Sagas;

/// <summary>What <see cref="CompensationPlanner"/> decided for a completed step.</summary>
/// <param name="Call">The compensation to record, when the step is compensatable and the mapping worked.</param>
/// <param name="Errors">Why no compensation could be built for a compensatable step; empty otherwise.</param>
public sealed record CompensationPlan(CompensationCall? Call, IReadOnlyList<string> Errors)
{
    /// <summary>The plan of a step that needs no compensation (read-only, pivot or retriable).</summary>
    public static CompensationPlan None { get; } = new(null, []);

    /// <summary>Whether a compensation call was built.</summary>
    public bool HasCompensation => Call is not null;

    /// <summary>Whether the step is compensatable but its compensation could not be built: the orchestrator
    /// should treat the chain as needing attention rather than silently lose the undo.</summary>
    public bool Failed => Errors.Count > 0;
}
