namespace AgentOrchestrator.Durable.History;

/// <summary>A sub-orchestration completed.</summary>
/// <param name="TaskScheduledId">The sequence id of the matching <see cref="SubOrchestrationCreated"/>.</param>
/// <param name="Result">The serialized output, or null.</param>
public sealed record SubOrchestrationCompleted(int TaskScheduledId, string? Result) : HistoryEvent;
