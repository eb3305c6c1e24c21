using Microsoft.DurableTask.Client;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>A session as a client or staff member sees it.</summary>
public sealed record SessionStatus
{
    /// <summary>The session id (its orchestration instance id).</summary>
    public required string SessionId { get; init; }

    /// <summary>The orchestration's runtime status.</summary>
    public required OrchestrationRuntimeStatus RuntimeStatus { get; init; }

    /// <summary>When the session was started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>Progress the session published (owner, turn, phase, approvals, usage, parked chains).</summary>
    public required SessionProgress Progress { get; init; }

    /// <summary>
    /// Set when the session was terminated by force: compensation was skipped, and this says which
    /// completed steps were left as they are.
    /// </summary>
    public string? TerminationNote { get; init; }
}
