namespace AgentOrchestrator.Durable.Storage;

/// <summary>One stored event of an instance's log.</summary>
/// <param name="Sequence">Its position in the log: 1 for the first record, gap-free.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Data">The payload as written.</param>
/// <param name="Timestamp">When it happened, as the writer said.</param>
public sealed record InstanceLogRecord(long Sequence, string Kind, string Data, DateTimeOffset Timestamp);
