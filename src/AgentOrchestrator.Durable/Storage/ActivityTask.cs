namespace AgentOrchestrator.Durable.Storage;

/// <summary>A scheduled activity invocation in the work-item queue.</summary>
/// <param name="Id">Deterministic: <c>{instance}:{execution}:task:{taskId}</c>.</param>
/// <param name="InstanceId">The orchestration that scheduled it.</param>
/// <param name="ExecutionId">The execution that scheduled it.</param>
/// <param name="TaskId">The sequence id of the <c>TaskScheduled</c> event.</param>
/// <param name="Name">The activity name.</param>
/// <param name="Input">The serialized input, or null.</param>
/// <param name="CreatedAt">When the task was scheduled.</param>
public sealed record ActivityTask(string Id, string InstanceId, string ExecutionId, int TaskId, string Name, string? Input, DateTimeOffset CreatedAt);
