namespace AgentOrchestrator.Tools.Invocation;

/// <summary>What one attempt at a tool call means for the orchestrator.</summary>
public enum ToolOutcome
{
    /// <summary>The call succeeded; record the result and plan its compensation.</summary>
    Succeeded,

    /// <summary>The call failed, but another attempt with the same idempotency key may succeed
    /// (timeouts, network errors, 408, 409, 425, 429, 5xx), within the tool's retry policy.</summary>
    RetryableFailure,

    /// <summary>The call failed for good (bad arguments, a declined card, a 4xx): do not retry; the step has
    /// failed and the saga compensates the chain.</summary>
    PermanentFailure,
}
