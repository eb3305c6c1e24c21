using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>Events the orchestration wants recorded in the session's log.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Events">The events, each with a dedupe key.</param>
public sealed record RecordEventsInput(string SessionId, IReadOnlyList<InstanceLogEntry> Events);
