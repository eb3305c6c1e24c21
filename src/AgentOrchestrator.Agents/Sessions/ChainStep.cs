using AgentOrchestrator.Agents.Activities;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>A completed compensatable step of the running turn, with how to undo it.</summary>
/// <param name="CallId">The call's id.</param>
/// <param name="Tool">The tool that ran.</param>
/// <param name="IdempotencyKey">The call's key; the compensation uses it suffixed <c>:compensate</c>.</param>
/// <param name="Compensation">The planned compensation, or null when none could be planned.</param>
/// <param name="Problem">Why no compensation could be planned.</param>
internal sealed record ChainStep(string CallId, string Tool, string IdempotencyKey, PlannedCompensation? Compensation, string? Problem);
