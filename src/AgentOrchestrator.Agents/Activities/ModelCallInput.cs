using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.Agents.Sessions;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>
/// The input of the model activity. It carries only the messages that are new since the last model call (the user
/// message or the tool results, in <see cref="Events"/>): the transcript lives in the session's event log, so history
/// does not grow with the conversation.
/// </summary>
/// <param name="SessionId">The session.</param>
/// <param name="Turn">The turn.</param>
/// <param name="Step">The model call's number within the turn, from 1.</param>
/// <param name="Settings">The session's pinned settings.</param>
/// <param name="TurnUsage">Tokens and cost the turn spent before this call: when the model gives its final
/// answer, the activity records the turn's completion itself, saving the orchestration a round trip.</param>
public sealed record ModelCallInput(
    string SessionId, int Turn, int Step, SessionSettings Settings, TurnUsage TurnUsage)
{
    /// <summary>Events the orchestration decided before this call, the step's new transcript messages among them; written first.</summary>
    public IReadOnlyList<SessionLogEntry> Events { get; init; } = [];
}
