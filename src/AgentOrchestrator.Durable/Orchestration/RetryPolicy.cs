using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable;

/// <summary>A durable retry policy: waits between attempts are durable timers, so retries survive restarts.</summary>
public sealed record RetryPolicy
{
    /// <summary>Creates a policy.</summary>
    /// <param name="maxNumberOfAttempts">Attempts in total, the first included; at least 1.</param>
    /// <param name="firstRetryInterval">The wait before the second attempt; positive.</param>
    public RetryPolicy(int maxNumberOfAttempts, TimeSpan firstRetryInterval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNumberOfAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(firstRetryInterval, TimeSpan.Zero);
        MaxNumberOfAttempts = maxNumberOfAttempts;
        FirstRetryInterval = firstRetryInterval;
    }

    /// <summary>Attempts in total, the first included.</summary>
    public int MaxNumberOfAttempts { get; }

    /// <summary>The wait before the second attempt.</summary>
    public TimeSpan FirstRetryInterval { get; }

    /// <summary>Each wait is the previous one times this. Default 2.</summary>
    public double BackoffCoefficient { get; init; } = 2;

    /// <summary>The longest wait between attempts. Default 1 hour.</summary>
    public TimeSpan MaxRetryInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>No attempt starts later than this after the first one. Default: no limit.</summary>
    public TimeSpan RetryTimeout { get; init; } = TimeSpan.MaxValue;

    /// <summary>Decides whether a failure is worth another attempt. Default: every failure not marked non-retriable.</summary>
    public Func<FailureDetails, bool>? ShouldRetry { get; init; }

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2 for the first retry).</summary>
    public TimeSpan DelayBefore(int nextAttempt)
    {
        var factor = Math.Pow(BackoffCoefficient, nextAttempt - 2);
        var ticks = FirstRetryInterval.Ticks * factor;
        return ticks >= MaxRetryInterval.Ticks ? MaxRetryInterval : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>True when <paramref name="failure"/> may be retried by this policy.</summary>
    public bool Allows(FailureDetails failure)
        => !failure.IsNonRetriable && (ShouldRetry?.Invoke(failure) ?? true);
}
