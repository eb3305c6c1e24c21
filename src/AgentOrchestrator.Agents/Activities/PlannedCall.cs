namespace AgentOrchestrator.Agents.Activities;

/// <summary>A requested tool call, checked: what the orchestration needs to decide how to run it.</summary>
/// <param name="CallId">The model's id for the call.</param>
/// <param name="Name">The tool name.</param>
/// <param name="Version">The pinned version, or null when the tool is unknown.</param>
/// <param name="Arguments">The (normalized) arguments as JSON text.</param>
/// <param name="Errors">Why the call cannot run (unknown tool, invalid arguments); empty when it can.</param>
/// <param name="ReadOnly">True for a tool without side effects (may run in parallel).</param>
/// <param name="Role">The saga role: <c>compensatable</c>, <c>pivot</c>, <c>retriable</c>, or null.</param>
/// <param name="ApprovalReason">Set when the call needs a person's approval: why.</param>
/// <param name="Retry">How the call is retried.</param>
public sealed record PlannedCall(
    string CallId,
    string Name,
    string? Version,
    string Arguments,
    IReadOnlyList<string> Errors,
    bool ReadOnly,
    string? Role,
    string? ApprovalReason,
    CallRetry Retry)
{
    /// <summary>True when the call may run.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>True when the call needs approval.</summary>
    public bool NeedsApproval => ApprovalReason is not null;
}
