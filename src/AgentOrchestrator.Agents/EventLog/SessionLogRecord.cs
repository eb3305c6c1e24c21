namespace AgentOrchestrator.Agents.EventLog;

/// <summary>One stored event of a session's log.</summary>
/// <param name="Sequence">Its position in the log: 1 for the first record, gap-free.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Data">The payload as written.</param>
/// <param name="Timestamp">When it happened, as the writer said.</param>
public sealed record SessionLogRecord(long Sequence, string Kind, string Data, DateTimeOffset Timestamp);
