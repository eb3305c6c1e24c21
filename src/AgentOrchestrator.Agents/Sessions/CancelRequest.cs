namespace AgentOrchestrator.Agents.Sessions;

/// <summary>A request to cancel the running turn; its completed steps are rolled back.</summary>
/// <param name="Reason">Optional reason, recorded in the session's events.</param>
/// <param name="Turn">The turn to cancel; null for whichever is running. A cancel for a turn that already ended is dropped.</param>
public sealed record CancelRequest(string? Reason = null, int? Turn = null);
