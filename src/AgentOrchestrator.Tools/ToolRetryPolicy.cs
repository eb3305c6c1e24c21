using System.Collections.Frozen;

namespace AgentOrchestrator.Tools;

/// <summary>How the orchestrator retries a failed call. The invoker classifies failures as retryable or not;
/// this policy says how often and how far apart the orchestrator tries again.</summary>
/// <param name="InitialInterval">Wait before the second attempt; default 1 second.</param>
/// <param name="BackoffCoefficient">Factor each wait grows by; default 2.</param>
/// <param name="MaxInterval">Longest wait between attempts; default 30 seconds.</param>
/// <param name="MaxAttempts">Attempts in total, the first included; default 3.</param>
/// <param name="NonRetryableErrors">Error codes never retried.</param>
/// <param name="NonRetryableStatuses">HTTP statuses never retried, on top of the invoker's defaults.</param>
public sealed record ToolRetryPolicy(
    TimeSpan InitialInterval,
    double BackoffCoefficient,
    TimeSpan MaxInterval,
    int MaxAttempts,
    IReadOnlySet<string> NonRetryableErrors,
    IReadOnlySet<int> NonRetryableStatuses)
{
    /// <summary>The policy of a tool whose manifest declares no <c>retry</c>.</summary>
    public static ToolRetryPolicy Default { get; } = new(
        TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(30), 3,
        FrozenSet<string>.Empty, FrozenSet<int>.Empty);

    /// <summary>Returns the wait before attempt <paramref name="attempt"/> (2 for the first retry).</summary>
    /// <param name="attempt">The attempt about to start, counting the first as 1.</param>
    public TimeSpan DelayBeforeAttempt(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 2);
        var millis = InitialInterval.TotalMilliseconds * Math.Pow(BackoffCoefficient, attempt - 2);
        return TimeSpan.FromMilliseconds(Math.Min(millis, MaxInterval.TotalMilliseconds));
    }
}
