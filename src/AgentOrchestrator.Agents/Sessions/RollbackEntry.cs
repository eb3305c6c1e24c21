namespace AgentOrchestrator.Agents.Sessions;

/// <summary>What happened to one step of a chain during a rollback, as told to the model and the user.</summary>
/// <param name="CallId">The original call.</param>
/// <param name="Tool">The original tool.</param>
/// <param name="Compensation">The compensating tool, if any.</param>
/// <param name="Status"><c>rolled_back</c>, <c>compensation_failed</c> (skipped by policy) or <c>parked</c>.</param>
internal sealed record RollbackEntry(string CallId, string Tool, string? Compensation, string Status)
{
    public override string ToString() => Status switch
    {
        "rolled_back" => $"{Tool} undone by {Compensation}",
        "parked" => $"{Tool} could NOT be undone yet (staff have been asked to finish it)",
        _ => $"{Tool} could not be undone ({Compensation} failed)",
    };
}
