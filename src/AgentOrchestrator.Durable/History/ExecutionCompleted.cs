namespace AgentOrchestrator.Durable.History;

/// <summary>The orchestrator returned.</summary>
/// <param name="Result">The serialized output, or null.</param>
public sealed record ExecutionCompleted(string? Result) : HistoryEvent;
