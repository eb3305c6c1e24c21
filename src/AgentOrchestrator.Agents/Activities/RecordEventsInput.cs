using AgentOrchestrator.Agents.EventLog;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>The events an orchestration hands to <see cref="RecordEventsActivity"/>.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Events">The events, in the order they happened.</param>
public sealed record RecordEventsInput(string SessionId, IReadOnlyList<SessionLogEntry> Events);
