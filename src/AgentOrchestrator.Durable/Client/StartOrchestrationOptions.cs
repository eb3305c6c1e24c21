namespace AgentOrchestrator.Durable;

/// <summary>Options for scheduling a new orchestration instance.</summary>
public sealed record StartOrchestrationOptions
{
    /// <summary>The instance id; default is a new random id.</summary>
    public string? InstanceId { get; init; }

    /// <summary>When the first episode may run; default now.</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>
    /// If an instance with the same id exists in one of these statuses, scheduling fails with
    /// <see cref="InstanceAlreadyExistsException"/>; in any other status it is replaced.
    /// Default: Pending, Running and Suspended (a finished instance may be replaced).
    /// </summary>
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? DedupeStatuses { get; init; }
}
