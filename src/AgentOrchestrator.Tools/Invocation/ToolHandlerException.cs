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
}
