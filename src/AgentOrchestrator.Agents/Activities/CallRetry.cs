namespace AgentOrchestrator.Agents.Activities;

/// <summary>A tool's retry policy, as numbers the orchestration can replay.</summary>
/// <param name="MaxAttempts">Attempts in total.</param>
/// <param name="InitialIntervalMs">Wait before the second attempt.</param>
/// <param name="BackoffCoefficient">Growth factor of the wait.</param>
/// <param name="MaxIntervalMs">Longest wait.</param>
/// <param name="InProgressTimeoutMs">
/// How long a call may keep waiting while the service answers that an earlier attempt with the same key is still in
/// progress; such waits spend no attempts.
/// </param>
public sealed record CallRetry(int MaxAttempts, long InitialIntervalMs, double BackoffCoefficient, long MaxIntervalMs, long InProgressTimeoutMs = 120_000)
{
    /// <summary>The wait before attempt <paramref name="attempt"/> (2 for the first retry).</summary>
    public TimeSpan DelayBefore(int attempt)
        => TimeSpan.FromMilliseconds(Math.Min(InitialIntervalMs * Math.Pow(BackoffCoefficient, attempt - 2), MaxIntervalMs));
}
