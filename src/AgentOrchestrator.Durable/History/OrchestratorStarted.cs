namespace AgentOrchestrator.Durable.History;

/// <summary>Marks the start of an episode; its timestamp is the orchestration's current time for that episode.</summary>
public sealed record OrchestratorStarted : HistoryEvent;
