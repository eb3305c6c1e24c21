using System.Text.Json;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>One event of a session's event log.</summary>
/// <param name="Sequence">Its position, from 1, gap-free: resume with everything after it.</param>
/// <param name="Kind">One of <see cref="SessionEventKinds"/>.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Data">The event's JSON object.</param>
public sealed record SessionEvent(long Sequence, string Kind, DateTimeOffset Timestamp, JsonElement Data);
