namespace AgentOrchestrator.Durable.History;

/// <summary>An activity returned.</summary>
/// <param name="TaskScheduledId">The sequence id of the matching <see cref="TaskScheduled"/>.</param>
/// <param name="Result">The serialized result, or null.</param>
public sealed record TaskCompleted(int TaskScheduledId, string? Result) : HistoryEvent;
