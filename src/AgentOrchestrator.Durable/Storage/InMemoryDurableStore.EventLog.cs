namespace AgentOrchestrator.Durable.Storage;

public sealed partial class InMemoryDurableStore
{
    private readonly Dictionary<string, InstanceLog> _logs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<IReadOnlyList<InstanceLogRecord>> AppendLogAsync(string instanceId, IReadOnlyList<InstanceLogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<InstanceLogRecord>>(AppendLog(instanceId, entries));
        }
    }

    /// <summary>Appends under the caller's lock (an append of its own, or a checkpoint's entries).</summary>
    private List<InstanceLogRecord> AppendLog(string instanceId, IReadOnlyList<InstanceLogEntry> entries)
    {
        var stored = new List<InstanceLogRecord>(entries.Count);
        if (!_logs.TryGetValue(instanceId, out var log))
        {
            _logs[instanceId] = log = new InstanceLog();
        }

        foreach (var entry in entries)
        {
            if (entry.DedupeKey is { } key && !log.Keys.Add(key))
            {
                continue;
            }

            var record = new InstanceLogRecord(log.Records.Count + 1, entry.Kind, entry.Data, entry.Timestamp);
            log.Records.Add(record);
            stored.Add(record);
        }

        return stored;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InstanceLogRecord>> ReadLogAsync(string instanceId, long afterSequence, int maxCount, string? kind = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        lock (_gate)
        {
            if (!_logs.TryGetValue(instanceId, out var log))
            {
                return Task.FromResult<IReadOnlyList<InstanceLogRecord>>([]);
            }

            var start = (int)Math.Clamp(afterSequence, 0, log.Records.Count);
            return Task.FromResult<IReadOnlyList<InstanceLogRecord>>(
                [.. log.Records.Skip(start).Where(r => kind is null || r.Kind == kind).Take(maxCount)]);
        }
    }

    private sealed class InstanceLog
    {
        public List<InstanceLogRecord> Records { get; } = [];

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
    }
}
