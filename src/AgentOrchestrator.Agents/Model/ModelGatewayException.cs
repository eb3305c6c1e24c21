namespace AgentOrchestrator.Agents.Model;

/// <summary>
/// A model call failed for good: every deployment was tried (or the request was rejected, or a stream broke after
/// output was delivered). <see cref="Failures"/> lists each failed attempt, newest last.
/// </summary>
public sealed class ModelGatewayException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, for people.</param>
    /// <param name="failures">The failed attempts, in order.</param>
    /// <param name="innerException">The last underlying error.</param>
    public ModelGatewayException(string message, IReadOnlyList<ModelFailure> failures, Exception? innerException)
        : base(message, innerException)
    {
        Failures = failures;
    }

    /// <summary>The failed attempts, in the order they happened.</summary>
    public IReadOnlyList<ModelFailure> Failures { get; }

    /// <summary>Whether calling again later may succeed (the last failure was transient, e.g. throttling or a server
    /// error), as opposed to a request the service rejects.</summary>
    public bool IsTransient => Failures.Count > 0 && Failures[^1].IsRetryable;
}
