namespace AgentOrchestrator.Agents.Sessions;

/// <summary>The session orchestration: one instance per chat session, driving the saga-guarded model loop.</summary>
public sealed partial class AgentSessionOrchestrator
{
    /// <summary>The orchestrator's registered name.</summary>
    public const string Name = "AgentSession";
}
