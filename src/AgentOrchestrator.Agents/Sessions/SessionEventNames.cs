namespace AgentOrchestrator.Agents.Sessions;

/// <summary>The names of the external events a session orchestration listens for.</summary>
public static class SessionEventNames
{
    /// <summary>A user message (<see cref="UserMessage"/>).</summary>
    public const string UserMessage = "user.message";

    /// <summary>An approval decision (<see cref="ApprovalDecision"/>).</summary>
    public const string Approval = "approval";

    /// <summary>Cancel the running turn (<see cref="CancelRequest"/>).</summary>
    public const string Cancel = "cancel";

    /// <summary>End the session after the running turn (no payload).</summary>
    public const string End = "end";

    /// <summary>Staff action on a parked chain (<see cref="ChainAction"/>).</summary>
    public const string ChainAction = "chain.action";
}
