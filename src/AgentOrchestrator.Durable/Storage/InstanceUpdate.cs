namespace AgentOrchestrator.Durable.Storage;

/// <summary>The instance status row as a checkpoint leaves it.</summary>
/// <param name="ExecutionId">The current execution.</param>
/// <param name="Status">The new status.</param>
/// <param name="Input">The current execution's serialized input.</param>
/// <param name="Output">The serialized output, once completed.</param>
/// <param name="CustomStatus">The serialized custom status the orchestrator set.</param>
/// <param name="Failure">The failure, once failed.</param>
/// <param name="LastUpdatedAt">When the checkpoint was taken.</param>
/// <param name="CompletedAt">When the instance reached a terminal status.</param>
public sealed record InstanceUpdate(
    string ExecutionId,
    OrchestrationRuntimeStatus Status,
    string? Input,
    string? Output,
    string? CustomStatus,
    History.FailureDetails? Failure,
    DateTimeOffset LastUpdatedAt,
    DateTimeOffset? CompletedAt);
