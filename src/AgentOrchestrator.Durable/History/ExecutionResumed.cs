namespace AgentOrchestrator.Durable.History;

/// <summary>A suspended instance was resumed.</summary>
/// <param name="Reason">Why, as given by the caller.</param>
public sealed record ExecutionResumed(string? Reason) : HistoryEvent;
