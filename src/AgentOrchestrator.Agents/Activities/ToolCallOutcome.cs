namespace AgentOrchestrator.Agents.Activities;

/// <summary>The outcome of one attempt.</summary>
/// <param name="Success">True when the tool did its work.</param>
/// <param name="Result">The result JSON on success.</param>
/// <param name="ErrorCode">The failure's code.</param>
/// <param name="Error">The failure's message.</param>
/// <param name="Retryable">True when another attempt may help.</param>
/// <param name="RetryAfterMs">The service's requested wait before retrying, if any.</param>
/// <param name="Compensation">For a successful compensatable call, how to undo it.</param>
/// <param name="InProgress">
/// The service still runs an earlier attempt with the same key: not a failure; call again after <paramref name="RetryAfterMs"/>.
/// </param>
public sealed record ToolCallOutcome(
    bool Success,
    string? Result,
    string? ErrorCode,
    string? Error,
    bool Retryable,
    long? RetryAfterMs,
    PlannedCompensation? Compensation,
    bool InProgress = false);
