namespace AgentOrchestrator.Durable.Storage;

/// <summary>One event to append to an instance's log.</summary>
/// <param name="Kind">What happened, for example <c>tool.completed</c>; readers filter on it.</param>
/// <param name="Data">The event's payload, usually JSON.</param>
/// <param name="Timestamp">When it happened, from the writer's <see cref="TimeProvider"/>.</param>
/// <param name="DedupeKey">When set, a second entry with the same key for the same instance is not stored.</param>
public sealed record InstanceLogEntry(string Kind, string Data, DateTimeOffset Timestamp, string? DedupeKey = null);
