namespace AgentOrchestrator.Durable.History;

/// <summary>An external event arrived.</summary>
/// <param name="Name">The event name (matched case-insensitively).</param>
/// <param name="Input">The serialized payload, or null.</param>
public sealed record EventRaised(string Name, string? Input) : HistoryEvent;
