namespace AgentOrchestrator.Durable.History;

/// <summary>The orchestrator scheduled an activity.</summary>
/// <param name="Name">The activity name.</param>
/// <param name="Input">The serialized input, or null.</param>
public sealed record TaskScheduled(string Name, string? Input) : HistoryEvent;
