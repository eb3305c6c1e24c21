namespace AgentOrchestrator.Durable;

/// <summary>The lifecycle state of an orchestration instance.</summary>
public enum OrchestrationRuntimeStatus
{
    /// <summary>Created; its first episode has not run yet (or its start time is in the future).</summary>
    Pending = 0,

    /// <summary>Started and not finished.</summary>
    Running = 1,

    /// <summary>Its orchestrator returned.</summary>
    Completed = 2,

    /// <summary>Its orchestrator threw, or its code no longer matched its history.</summary>
    Failed = 3,

    /// <summary>Forcibly stopped by a client.</summary>
    Terminated = 4,

    /// <summary>Paused by a client; only resume and terminate are processed.</summary>
    Suspended = 5,
}
