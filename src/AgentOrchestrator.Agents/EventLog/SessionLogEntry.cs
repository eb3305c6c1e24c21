namespace AgentOrchestrator.Agents.EventLog;

/// <summary>One event to append to a session's log.</summary>
/// <param name="Kind">What happened, for example <c>tool.completed</c>; readers filter on it.</param>
/// <param name="Data">The event's payload, JSON.</param>
/// <param name="Timestamp">When it happened, from the writer's clock (the orchestration's for events it decided).</param>
/// <param name="DedupeKey">The entry's identity in the session's log: a second entry with the same key is not stored.</param>
public sealed record SessionLogEntry(string Kind, string Data, DateTimeOffset Timestamp, string DedupeKey);
