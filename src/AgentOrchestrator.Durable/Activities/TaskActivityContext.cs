namespace AgentOrchestrator.Durable;

/// <summary>What an activity knows about the call it is serving.</summary>
/// <param name="Name">The activity name.</param>
/// <param name="InstanceId">The orchestration instance that scheduled it.</param>
/// <param name="ExecutionId">The execution that scheduled it.</param>
/// <param name="TaskId">The sequence id of the scheduling action.</param>
/// <param name="DeliveryCount">1 on the first delivery; more after a worker crashed or lost its lock.</param>
public sealed record TaskActivityContext(string Name, string InstanceId, string ExecutionId, int TaskId, int DeliveryCount)
{
    /// <summary>
    /// A key that is the same on every delivery of this activity call and differs between calls.
    /// Activities run at least once: pass this to side-effecting systems so a repeat is harmless.
    /// </summary>
    public string IdempotencyKey => $"{InstanceId}:{ExecutionId}:{TaskId}";
}
