namespace AgentOrchestrator.Tools.Invocation;

/// <summary>What one attempt at a tool call means for the orchestrator.</summary>
public enum ToolOutcome
{
    /// <summary>The call succeeded; record the result and plan its compensation.</summary>
    Succeeded,

    /// <summary>The call failed, but another attempt with the same idempotency key may succeed
    /// (timeouts, network errors, 408, 425, 429, 5xx, and 409 from a tool that sends no key), within the
    /// tool's retry policy.</summary>
    RetryableFailure,

    /// <summary>Not a failure: the service is still running an earlier attempt with the same idempotency key (it
    /// answered 409 to a keyed request, or a handler said so). Wait <see cref="ToolInvocationResult.RetryAfter"/> and
    /// call again with the same key, without spending an attempt of the tool's retry policy, for at most the tool's
    /// <see cref="ToolIdempotency.InProgressTimeout"/> counted from the first such answer; after that the call has
    /// failed for good.</summary>
    InProgress,

    /// <summary>The call failed for good (bad arguments, a declined card, a 4xx): do not retry; the step has
    /// failed and the saga compensates the chain.</summary>
    PermanentFailure,
}
