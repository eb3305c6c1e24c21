namespace AgentOrchestrator.Durable.History;

/// <summary>A sub-orchestration failed or was terminated.</summary>
/// <param name="TaskScheduledId">The sequence id of the matching <see cref="SubOrchestrationCreated"/>.</param>
/// <param name="Failure">What went wrong.</param>
public sealed record SubOrchestrationFailed(int TaskScheduledId, FailureDetails Failure) : HistoryEvent;
