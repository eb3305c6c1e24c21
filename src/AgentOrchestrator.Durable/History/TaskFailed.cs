namespace AgentOrchestrator.Durable.History;

/// <summary>An activity threw, or was dead-lettered.</summary>
/// <param name="TaskScheduledId">The sequence id of the matching <see cref="TaskScheduled"/>.</param>
/// <param name="Failure">What went wrong.</param>
public sealed record TaskFailed(int TaskScheduledId, FailureDetails Failure) : HistoryEvent;
