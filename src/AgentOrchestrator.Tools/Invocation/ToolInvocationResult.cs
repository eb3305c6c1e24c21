using System.Text.Json;

namespace AgentOrchestrator.Tools.Invocation;

/// <summary>The outcome of one attempt at a tool call: a result, or a failure that says whether trying again
/// (with the same idempotency key) may help.</summary>
public sealed class ToolInvocationResult
{
    private ToolInvocationResult(bool success, JsonElement result, string? code, string? message, bool retryable, int? status, TimeSpan? retryAfter, bool replayed, JsonElement? raw, bool inProgress = false)
    {
        IsInProgress = inProgress;
        IsSuccess = success;
        Result = result;
        ErrorCode = code;
        ErrorMessage = message;
        IsRetryable = retryable;
        HttpStatus = status;
        RetryAfter = retryAfter;
        WasReplayed = replayed;
        RawResult = raw;
    }

    /// <summary>Whether the call succeeded.</summary>
    public bool IsSuccess { get; }

    /// <summary>Success, in progress, retryable failure or permanent failure, for a <c>switch</c> in the orchestrator.</summary>
    public ToolOutcome Outcome => IsSuccess ? ToolOutcome.Succeeded
        : IsInProgress ? ToolOutcome.InProgress
        : IsRetryable ? ToolOutcome.RetryableFailure
        : ToolOutcome.PermanentFailure;

    /// <summary>Whether the service is still running an earlier attempt with the same key (<see cref="ToolOutcome.InProgress"/>):
    /// wait <see cref="RetryAfter"/> and call again with the same key, without counting an attempt. Such a result is
    /// also <see cref="IsRetryable"/>, so a caller that knows only failures still tries again.</summary>
    public bool IsInProgress { get; }

    /// <summary>The result of a successful call (JSON <c>null</c> for an empty response).</summary>
    public JsonElement Result { get; }

    /// <summary>Error code of a failed call: the service's own (e.g. <c>card_declined</c>) or one of <see cref="ToolErrorCodes"/>.</summary>
    public string? ErrorCode { get; }

    /// <summary>What went wrong, fit to show the model.</summary>
    public string? ErrorMessage { get; }

    /// <summary>Whether another attempt with the same key may succeed.</summary>
    public bool IsRetryable { get; }

    /// <summary>The HTTP status of the response, for HTTP tools that got one.</summary>
    public int? HttpStatus { get; }

    /// <summary>How long the service asked callers to wait (Retry-After), if it said. Always set when
    /// <see cref="IsInProgress"/>: the service's wait, or the tool's <see cref="ToolRetryPolicy.InitialInterval"/> when it gave none.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether the service answered from its idempotency store (<c>Idempotent-Replayed: true</c>):
    /// the effect happened on an earlier attempt, not this one.</summary>
    public bool WasReplayed { get; }

    /// <summary>The body of a response that succeeded but failed the result schema; the effect happened, so a
    /// compensation may still need it.</summary>
    public JsonElement? RawResult { get; }

    /// <summary>Creates a success.</summary>
    /// <param name="result">The result.</param>
    /// <param name="httpStatus">The HTTP status, for HTTP tools.</param>
    /// <param name="replayed">Whether the service replayed a stored response.</param>
    public static ToolInvocationResult Success(JsonElement result, int? httpStatus = null, bool replayed = false) =>
        new(true, result.Clone(), null, null, false, httpStatus, null, replayed, null);

    /// <summary>Creates a failure.</summary>
    /// <param name="code">Error code.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="isRetryable">Whether another attempt may succeed.</param>
    /// <param name="httpStatus">The HTTP status, if there was a response.</param>
    /// <param name="retryAfter">How long the service asked to wait.</param>
    /// <param name="rawResult">The body of a response that failed the result schema.</param>
    public static ToolInvocationResult Failure(string code, string message, bool isRetryable, int? httpStatus = null, TimeSpan? retryAfter = null, JsonElement? rawResult = null) =>
        new(false, default, code, message, isRetryable, httpStatus, retryAfter, false, rawResult?.Clone());

    /// <summary>Creates an "in progress" answer: an earlier attempt with the same key still runs at the service.</summary>
    /// <param name="code">The service's code, e.g. <c>idempotency_request_in_progress</c>.</param>
    /// <param name="message">What the service said.</param>
    /// <param name="retryAfter">How long to wait before calling again.</param>
    /// <param name="httpStatus">The HTTP status (409), for HTTP tools.</param>
    public static ToolInvocationResult InProgress(string code, string message, TimeSpan retryAfter, int? httpStatus = null) =>
        new(false, default, code, message, true, httpStatus, retryAfter, false, null, inProgress: true);

    /// <summary>Describes the outcome in one line.</summary>
    public override string ToString() => IsSuccess
        ? $"success{(HttpStatus is { } s ? $" ({s})" : string.Empty)}{(WasReplayed ? ", replayed" : string.Empty)}"
        : IsInProgress
            ? $"{ErrorCode}{(HttpStatus is { } p ? $" ({p})" : string.Empty)}: {ErrorMessage} [in progress, retry after {RetryAfter!.Value.TotalSeconds:0.###} s]"
            : $"{ErrorCode}{(HttpStatus is { } f ? $" ({f})" : string.Empty)}: {ErrorMessage}{(IsRetryable ? " [retryable]" : string.Empty)}";
}
