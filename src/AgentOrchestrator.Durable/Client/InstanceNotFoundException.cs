namespace AgentOrchestrator.Durable;

/// <summary>No orchestration instance has this id.</summary>
public sealed class InstanceNotFoundException(string instanceId)
    : InvalidOperationException($"No orchestration instance '{instanceId}' exists.")
{
    /// <summary>The id that was not found.</summary>
    public string InstanceId { get; } = instanceId;
}
