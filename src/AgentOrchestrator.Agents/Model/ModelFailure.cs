namespace AgentOrchestrator.Agents.Model;

/// <summary>One failed attempt against one deployment.</summary>
/// <param name="Deployment">The deployment called.</param>
/// <param name="Attempt">The 1-based attempt number on that deployment.</param>
/// <param name="Kind">What went wrong.</param>
/// <param name="StatusCode">The HTTP status, if there was a response.</param>
/// <param name="RetryAfter">The wait the service asked for, if it named one.</param>
/// <param name="Message">What the service or the client said.</param>
public sealed record ModelFailure(string Deployment, int Attempt, ModelFailureKind Kind, int? StatusCode, TimeSpan? RetryAfter, string Message)
{
    /// <summary>Whether trying the same deployment again may help.</summary>
    public bool IsRetryable => Kind is ModelFailureKind.Throttled or ModelFailureKind.ServerError or ModelFailureKind.Timeout
        or ModelFailureKind.Network or ModelFailureKind.Malformed;

    /// <summary>Whether the next deployment may help once this one has failed for good.</summary>
    public bool AllowsFallback => IsRetryable || Kind == ModelFailureKind.NotFound;

    /// <inheritdoc />
    public override string ToString() =>
        $"deployment '{Deployment}' attempt {Attempt}: {Kind}{(StatusCode is { } s ? $" (HTTP {s})" : string.Empty)}: {Message}";
}
