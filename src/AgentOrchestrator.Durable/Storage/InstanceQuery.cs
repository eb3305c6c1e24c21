namespace AgentOrchestrator.Durable;

/// <summary>A filter over instances, with paging. Results are ordered by creation time, then instance id.</summary>
public sealed record InstanceQuery
{
    /// <summary>Only these statuses; null or empty for all.</summary>
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }

    /// <summary>Only instances created at or after this time.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only instances created before this time.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>Only instances whose id starts with this prefix.</summary>
    public string? InstanceIdPrefix { get; init; }

    /// <summary>Only instances of this orchestrator.</summary>
    public string? Name { get; init; }

    /// <summary>The page size. Default 100; at most 1000.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>The token from the previous page, or null for the first page.</summary>
    public string? ContinuationToken { get; init; }
}
