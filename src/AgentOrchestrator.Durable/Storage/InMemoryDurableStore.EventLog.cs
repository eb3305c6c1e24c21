namespace AgentOrchestrator.Durable.Storage;

public sealed partial class InMemoryDurableStore : IInstanceEventLog
{
    private readonly Dictionary<string, InstanceLog> _logs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<IReadOnlyList<InstanceLogRecord>> AppendLogAsync(string instanceId, IReadOnlyList<InstanceLogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentNullException.ThrowIfNull(entries);
        var stored = new List<InstanceLogRecord>(entries.Count);
        lock (_gate)
        {
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
        }

        return Task.FromResult<IReadOnlyList<InstanceLogRecord>>(stored);
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
