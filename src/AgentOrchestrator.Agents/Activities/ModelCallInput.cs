using AgentOrchestrator.Agents.Sessions;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>
/// The input of the model activity. It carries no messages: the transcript lives in the session's event log (the
/// orchestration writes what is new since the last model call, the user message or the tool results, with the
/// checkpoint that schedules the call), so history does not grow with the conversation.
/// </summary>
/// <param name="SessionId">The session.</param>
/// <param name="Turn">The turn.</param>
/// <param name="Step">The model call's number within the turn, from 1.</param>
/// <param name="Settings">The session's pinned settings.</param>
/// <param name="TurnUsage">Tokens and cost the turn spent before this call: when the model gives its final
/// answer, the activity records the turn's completion itself, saving the orchestration a round trip.</param>
public sealed record ModelCallInput(
    string SessionId, int Turn, int Step, SessionSettings Settings, TurnUsage TurnUsage);
