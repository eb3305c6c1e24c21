namespace AgentOrchestrator.Agents.Sessions;

/// <summary>What starting a session did.</summary>
/// <param name="Status">The session's status.</param>
/// <param name="Created">False when a start with the same idempotency key had already made this session.</param>
public sealed record SessionStart(SessionStatus Status, bool Created)
{
    /// <summary>The session's id.</summary>
    public string SessionId => Status.SessionId;
}
