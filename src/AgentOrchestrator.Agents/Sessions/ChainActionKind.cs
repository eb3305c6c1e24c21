namespace AgentOrchestrator.Agents.Sessions;

/// <summary>The actions staff can take on a parked chain.</summary>
public enum ChainActionKind
{
    /// <summary>Run the compensations that failed again.</summary>
    Retry,

    /// <summary>Mark the chain as handled by hand; nothing runs.</summary>
    Resolve,
}
