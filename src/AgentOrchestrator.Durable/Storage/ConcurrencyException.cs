namespace AgentOrchestrator.Durable.Storage;

/// <summary>A checkpoint lost the race: the instance changed since its work item was locked. Nothing was written.</summary>
public sealed class OrchestrationConcurrencyException(string instanceId, long expectedVersion)
    : Exception($"Instance '{instanceId}' is no longer at version {expectedVersion}; another worker committed first. Nothing was written.")
{
    /// <summary>The instance.</summary>
    public string InstanceId { get; } = instanceId;
}
