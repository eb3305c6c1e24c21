namespace AgentOrchestrator.Durable;

/// <summary>An instance with this id exists in a status that dedupe forbids replacing.</summary>
public sealed class InstanceAlreadyExistsException(string instanceId, OrchestrationRuntimeStatus status)
    : InvalidOperationException($"An orchestration instance '{instanceId}' already exists with status {status}.")
{
    /// <summary>The instance id.</summary>
    public string InstanceId { get; } = instanceId;

    /// <summary>Its current status.</summary>
    public OrchestrationRuntimeStatus Status { get; } = status;
}
