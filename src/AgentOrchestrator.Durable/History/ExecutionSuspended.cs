namespace AgentOrchestrator.Durable.History;

/// <summary>The instance was suspended: it processes no events but resume and terminate until resumed.</summary>
/// <param name="Reason">Why, as given by the caller.</param>
public sealed record ExecutionSuspended(string? Reason) : HistoryEvent;
