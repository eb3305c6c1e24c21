namespace AgentOrchestrator.Durable.Storage;

/// <summary>A locked instance with the inbox messages its next episode consumes.</summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="ExecutionId">Its current execution (empty before the first start).</param>
/// <param name="Name">Its orchestrator name.</param>
/// <param name="Status">Its status when locked.</param>
/// <param name="Version">The optimistic version the checkpoint must match.</param>
/// <param name="Messages">The visible messages, oldest first, each with its delivery count.</param>
/// <param name="LockToken">Identifies this lock.</param>
/// <param name="LockedUntil">When the lock expires.</param>
public sealed record OrchestrationWorkItem(
    string InstanceId,
    string ExecutionId,
    string Name,
    OrchestrationRuntimeStatus Status,
    long Version,
    IReadOnlyList<OrchestrationMessage> Messages,
    string LockToken,
    DateTimeOffset LockedUntil);
