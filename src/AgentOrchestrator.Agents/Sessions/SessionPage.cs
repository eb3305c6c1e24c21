namespace AgentOrchestrator.Agents.Sessions;

/// <summary>One page of sessions.</summary>
/// <param name="Sessions">The sessions on this page, newest first as the store orders them.</param>
/// <param name="ContinuationToken">The token for the next page, or null when this is the last.</param>
public sealed record SessionPage(IReadOnlyList<SessionStatus> Sessions, string? ContinuationToken);
