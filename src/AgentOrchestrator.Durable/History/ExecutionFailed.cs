namespace AgentOrchestrator.Durable.History;

/// <summary>The orchestrator threw, or its code no longer matched its history.</summary>
/// <param name="Failure">What went wrong.</param>
public sealed record ExecutionFailed(FailureDetails Failure) : HistoryEvent;
