namespace AgentOrchestrator.Durable;

/// <summary>Which terminal instances to delete with their history. Non-terminal instances are never purged.</summary>
public sealed record PurgeFilter
{
    /// <summary>Exactly this instance.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Only instances created at or after this time.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only instances created before this time.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>Only these terminal statuses; null for all terminal statuses.</summary>
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }
}
