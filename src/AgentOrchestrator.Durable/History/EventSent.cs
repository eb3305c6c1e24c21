namespace AgentOrchestrator.Durable.History;

/// <summary>The orchestrator sent an event to another instance.</summary>
/// <param name="InstanceId">The target instance.</param>
/// <param name="Name">The event name.</param>
/// <param name="Input">The serialized payload, or null.</param>
public sealed record EventSent(string InstanceId, string Name, string? Input) : HistoryEvent;
