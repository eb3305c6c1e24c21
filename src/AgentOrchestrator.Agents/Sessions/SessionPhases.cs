namespace AgentOrchestrator.Agents.Sessions;

/// <summary>The phases a session reports in <see cref="SessionProgress.Phase"/>.</summary>
public static class SessionPhases
{
    /// <summary>Waiting for the next user message.</summary>
    public const string Idle = "idle";

    /// <summary>Calling the model.</summary>
    public const string Thinking = "thinking";

    /// <summary>Waiting for a person to approve a tool call.</summary>
    public const string AwaitingApproval = "awaiting_approval";

    /// <summary>Running tool calls.</summary>
    public const string RunningTools = "running_tools";

    /// <summary>Rolling back completed steps.</summary>
    public const string Compensating = "compensating";

    /// <summary>The session has ended.</summary>
    public const string Ended = "ended";
}
