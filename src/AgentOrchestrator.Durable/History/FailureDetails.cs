namespace AgentOrchestrator.Durable.History;

/// <summary>A serializable description of an error, kept in history and shown to callers.</summary>
/// <param name="ErrorType">The full name of the exception type, or an engine error code.</param>
/// <param name="Message">The error message.</param>
/// <param name="StackTrace">The stack trace, when one was captured.</param>
/// <param name="Inner">The inner failure, if any.</param>
/// <param name="IsNonRetriable">True when retrying cannot help (for example an unregistered activity).</param>
public sealed record FailureDetails(
    string ErrorType,
    string Message,
    string? StackTrace = null,
    FailureDetails? Inner = null,
    bool IsNonRetriable = false)
{
    /// <summary>Describes an exception.</summary>
    public static FailureDetails FromException(Exception exception, bool isNonRetriable = false)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new FailureDetails(
            exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message,
            exception.StackTrace,
            exception.InnerException is null ? null : FromException(exception.InnerException),
            isNonRetriable);
    }

    /// <summary>True when this failure, or one of its inner failures, has the given error type.</summary>
    public bool IsCausedBy<TException>() where TException : Exception
        => ErrorType == typeof(TException).FullName || (Inner?.IsCausedBy<TException>() ?? false);

    /// <inheritdoc />
    public override string ToString() => $"{ErrorType}: {Message}";
}
