namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>An activity task set aside as poison while claiming the next one.</summary>
internal sealed record PoisonedTask(long Seq, string InstanceId, string? ExecutionId, int TaskId, string Name, int DeliveryCount, string Json);
