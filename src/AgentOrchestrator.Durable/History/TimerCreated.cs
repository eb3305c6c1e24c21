namespace AgentOrchestrator.Durable.History;

/// <summary>The orchestrator created a durable timer.</summary>
/// <param name="FireAt">When the timer fires.</param>
public sealed record TimerCreated(DateTimeOffset FireAt) : HistoryEvent;
