namespace AgentOrchestrator.Agents.Sessions;

/// <summary>A request to cancel the running turn; its completed steps are rolled back.</summary>
/// <param name="Reason">Optional reason, recorded in the session's events.</param>
public sealed record CancelRequest(string? Reason = null);
