namespace AgentOrchestrator.Tools.Invocation;

/// <summary>Thrown by a handler to fail a call with an error code and a retry decision.</summary>
public sealed class ToolHandlerException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">Error code, e.g. <c>out_of_stock</c>.</param>
    /// <param name="message">What went wrong, for the model and the session history.</param>
    /// <param name="isRetryable">Whether trying again may succeed.</param>
    public ToolHandlerException(string code, string message, bool isRetryable)
        : base(message)
    {
        Code = code;
        IsRetryable = isRetryable;
    }

    /// <summary>The error code.</summary>
    public string Code { get; }

    /// <summary>Whether trying again may succeed.</summary>
    public bool IsRetryable { get; }

    /// <summary>Whether an earlier call with the same idempotency key is still running: the call is then
    /// <see cref="ToolOutcome.InProgress"/>, not a failure.</summary>
    public bool IsInProgress { get; private init; }

    /// <summary>How long to wait before calling again, for <see cref="IsInProgress"/>.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>Creates the exception a side-effecting handler throws when an earlier call with the same
    /// <see cref="ToolHandlerContext.IdempotencyKey"/> is still running.</summary>
    /// <param name="message">What is going on, e.g. <c>the ledger entry for this key is still being written</c>.</param>
    /// <param name="retryAfter">How long to wait before calling again; default: the tool's retry initial interval.</param>
    public static ToolHandlerException InProgress(string message, TimeSpan? retryAfter = null) =>
        new(ToolErrorCodes.InProgress, message, isRetryable: true) { IsInProgress = true, RetryAfter = retryAfter };
}
