namespace AgentOrchestrator.Durable.Storage;

/// <summary>A locked activity task.</summary>
/// <param name="Task">The task.</param>
/// <param name="DeliveryCount">How many times it has been locked, this time included.</param>
/// <param name="LockToken">Identifies this lock.</param>
/// <param name="LockedUntil">When the lock expires.</param>
public sealed record ActivityWorkItem(ActivityTask Task, int DeliveryCount, string LockToken, DateTimeOffset LockedUntil);
