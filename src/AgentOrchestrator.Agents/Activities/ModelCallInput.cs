using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>
/// The input of the model activity. It carries only what is new since the last model call (the user
/// message or the tool results): the transcript itself lives in the event log, so history does not grow
/// with the conversation.
/// </summary>
/// <param name="SessionId">The session.</param>
/// <param name="Turn">The turn.</param>
/// <param name="Step">The model call's number within the turn, from 1.</param>
/// <param name="NewMessages">Messages to add to the transcript before calling the model.</param>
/// <param name="Events">Session events to record first.</param>
/// <param name="Settings">The session's pinned settings.</param>
/// <param name="TurnUsage">Tokens and cost the turn spent before this call: when the model gives its final
/// answer, the activity records the turn's completion itself, saving the orchestration a round trip.</param>
public sealed record ModelCallInput(
    string SessionId, int Turn, int Step, IReadOnlyList<TranscriptMessage> NewMessages, IReadOnlyList<InstanceLogEntry> Events, SessionSettings Settings, TurnUsage TurnUsage);
