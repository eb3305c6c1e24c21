namespace AgentOrchestrator.SampleServices;

/// <summary>When an injected failure happens.</summary>
public enum FaultMode
{
    /// <summary>The request fails before it does anything: nothing changes and the idempotency key stays free.</summary>
    BeforeExecution,

    /// <summary>The request does its work and commits, then the response is lost (replaced by the failure status).
    /// A retry with the same key gets the stored real response, so the effect still happens once.</summary>
    AfterCommit,
}
