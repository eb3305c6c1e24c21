using AgentOrchestrator.Agents.Sessions;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>Supplies the system prompt a session is pinned to.</summary>
public interface ISystemPromptProvider
{
    /// <summary>Returns the system prompt for the session's pinned template name and version.</summary>
    Task<string> GetAsync(string sessionId, SessionSettings settings, CancellationToken cancellationToken);
}
