namespace AgentOrchestrator.Durable.History;

/// <summary>A durable timer fired.</summary>
/// <param name="TimerId">The sequence id of the matching <see cref="TimerCreated"/>.</param>
/// <param name="FireAt">When the timer was due.</param>
public sealed record TimerFired(int TimerId, DateTimeOffset FireAt) : HistoryEvent;
