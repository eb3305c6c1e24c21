namespace AgentOrchestrator.Durable;

/// <summary>Options for starting a sub-orchestration.</summary>
public sealed record SubOrchestrationOptions
{
    /// <summary>The child instance id; default is derived deterministically from the parent's id.</summary>
    public string? InstanceId { get; init; }

    /// <summary>The retry policy for the whole child orchestration; null for a single attempt.</summary>
    public RetryPolicy? Retry { get; init; }
}
