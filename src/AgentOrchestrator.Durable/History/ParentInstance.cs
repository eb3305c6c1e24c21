namespace AgentOrchestrator.Durable.History;

/// <summary>Where a sub-orchestration reports its outcome.</summary>
/// <param name="InstanceId">The parent instance.</param>
/// <param name="ExecutionId">The parent's execution at the time it created the child.</param>
/// <param name="TaskScheduledId">The sequence id of the parent's <see cref="SubOrchestrationCreated"/> action.</param>
public sealed record ParentInstance(string InstanceId, string ExecutionId, int TaskScheduledId);
