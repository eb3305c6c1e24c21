using AgentOrchestrator.Tools;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>Turns a manifest's retry policy (and its wait for work in progress) into the numbers the orchestration replays.</summary>
internal static class CallRetries
{
    public static CallRetry From(ToolDefinition tool) => new(
        tool.Retry.MaxAttempts,
        (long)tool.Retry.InitialInterval.TotalMilliseconds,
        tool.Retry.BackoffCoefficient,
        (long)tool.Retry.MaxInterval.TotalMilliseconds,
        (long)(tool.Idempotency?.InProgressTimeout ?? ToolIdempotency.DefaultInProgressTimeout).TotalMilliseconds);
}
