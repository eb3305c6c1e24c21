namespace AgentOrchestrator.Durable.History;

/// <summary>The first event of an execution: which orchestrator runs, with what input.</summary>
/// <param name="Name">The registered orchestrator name.</param>
/// <param name="ExecutionId">Identifies this execution; it changes on continue-as-new and restart.</param>
/// <param name="Input">The serialized input, or null.</param>
/// <param name="Parent">The parent orchestration when this is a sub-orchestration.</param>
public sealed record ExecutionStarted(string Name, string ExecutionId, string? Input, ParentInstance? Parent = null) : HistoryEvent;
