namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// A client operation named an orchestration instance the task hub does not hold (never created, or purged). Nothing was
/// written. An <see cref="ArgumentException"/>, as Durable Functions' client throws for an unknown instance id.
/// </summary>
public sealed class OrchestrationInstanceNotFoundException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="instanceId"/>.</summary>
    public OrchestrationInstanceNotFoundException(string instanceId)
        : base($"No orchestration instance with id '{instanceId}' exists in this task hub.", "instanceId") => InstanceId = instanceId;

    /// <summary>The unknown instance id.</summary>
    public string InstanceId { get; }
}
