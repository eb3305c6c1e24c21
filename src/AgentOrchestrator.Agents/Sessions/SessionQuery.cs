using Microsoft.DurableTask.Client;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>A filter for listing sessions.</summary>
public sealed record SessionQuery
{
    /// <summary>Only sessions of this owner; null for all (staff).</summary>
    public string? Owner { get; init; }

    /// <summary>Only sessions in these runtime statuses; null for all.</summary>
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }

    /// <summary>Only sessions that need attention (a parked chain).</summary>
    public bool NeedsAttentionOnly { get; init; }

    /// <summary>Only sessions created at or after this time.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Page size, 1 to 500. Default 50.</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>The token of the previous page, or null for the first.</summary>
    public string? ContinuationToken { get; init; }
}
