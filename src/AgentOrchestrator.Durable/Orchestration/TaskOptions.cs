namespace AgentOrchestrator.Durable;

/// <summary>How an activity call is retried and timed out.</summary>
public sealed record TaskOptions
{
    /// <summary>The retry policy; null for a single attempt.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>How long one attempt may take before it counts as failed with a <see cref="TimeoutException"/>; null for no limit.
    /// A timed-out activity may still run to completion; its late result is ignored.</summary>
    public TimeSpan? Timeout { get; init; }
}
