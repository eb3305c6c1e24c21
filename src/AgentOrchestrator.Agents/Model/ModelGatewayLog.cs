using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Agents.Model;

/// <summary>Structured log events of the model gateway. Event ids are stable: dashboards and alerts key on them.</summary>
internal static partial class ModelGatewayLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "Model call failed ({Failure}); retrying in {DelayMs} ms")]
    public static partial void RetryScheduled(ILogger logger, ModelFailure failure, long delayMs);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Deployment {Deployment} asks to wait {RetryAfterMs} ms, more than the {MaxMs} ms allowed; not waiting")]
    public static partial void RetryAfterTooLong(ILogger logger, string deployment, long retryAfterMs, long maxMs);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Deployment {Deployment} failed for good ({Failure}); falling back to {Next}")]
    public static partial void FallingBack(ILogger logger, string deployment, ModelFailure failure, string next);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error, Message = "Model call failed for good after {Attempts} attempt(s): {Failure}")]
    public static partial void CallFailed(ILogger logger, int attempts, ModelFailure failure);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Debug, Message = "Model call answered by {Deployment} after {Attempts} attempt(s): {InputTokens} in, {OutputTokens} out, cost {Cost}")]
    public static partial void CallCompleted(ILogger logger, string deployment, int attempts, long? inputTokens, long? outputTokens, decimal? cost);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "Context trimmed: {Dropped} older message(s) left out, {Tokens} tokens against a budget of {Budget}")]
    public static partial void ContextTrimmed(ILogger logger, int dropped, int tokens, int budget);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Error, Message = "Stream from {Deployment} broke after output was delivered; not retried: {Failure}")]
    public static partial void StreamBroke(ILogger logger, string deployment, ModelFailure failure);
}
