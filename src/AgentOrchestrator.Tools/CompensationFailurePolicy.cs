namespace AgentOrchestrator.Tools;

/// <summary>What the orchestrator does when a compensation fails for good.</summary>
public enum CompensationFailurePolicy
{
    /// <summary>Stop compensating and flag the session for staff (the default).</summary>
    Park,

    /// <summary>Record the failure and go on compensating the rest of the chain.</summary>
    Continue,
}
