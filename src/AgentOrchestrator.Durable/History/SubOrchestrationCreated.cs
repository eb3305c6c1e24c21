namespace AgentOrchestrator.Durable.History;

/// <summary>The orchestrator started a sub-orchestration.</summary>
/// <param name="Name">The child orchestrator name.</param>
/// <param name="InstanceId">The child instance id.</param>
/// <param name="Input">The serialized input, or null.</param>
public sealed record SubOrchestrationCreated(string Name, string InstanceId, string? Input) : HistoryEvent;
