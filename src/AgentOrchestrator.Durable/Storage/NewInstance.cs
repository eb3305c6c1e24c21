using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable.Storage;

/// <summary>An instance to create, with the message that starts it.</summary>
/// <param name="InstanceId">The instance id.</param>
/// <param name="Name">The orchestrator name.</param>
/// <param name="ExecutionId">The first execution's id.</param>
/// <param name="Input">The serialized input, or null.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="StartAt">When its first episode may run.</param>
/// <param name="Parent">The parent, for a sub-orchestration.</param>
public sealed record NewInstance(
    string InstanceId,
    string Name,
    string ExecutionId,
    string? Input,
    DateTimeOffset CreatedAt,
    DateTimeOffset StartAt,
    ParentInstance? Parent = null)
{
    /// <summary>The inbox message that starts the instance; its id is deterministic.</summary>
    public OrchestrationMessage StartMessage => new(
        $"{InstanceId}:{ExecutionId}:start",
        InstanceId,
        ExecutionId,
        new ExecutionStarted(Name, ExecutionId, Input, Parent) { Timestamp = CreatedAt },
        StartAt);
}
