using AgentOrchestrator.Tools;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>Turns a manifest's retry policy into the numbers the orchestration replays.</summary>
internal static class CallRetries
{
    public static CallRetry From(ToolRetryPolicy policy) => new(
        policy.MaxAttempts,
        (long)policy.InitialInterval.TotalMilliseconds,
        policy.BackoffCoefficient,
        (long)policy.MaxInterval.TotalMilliseconds);
}
