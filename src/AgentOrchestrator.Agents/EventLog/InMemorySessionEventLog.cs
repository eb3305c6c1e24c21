using System.Collections.Concurrent;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>A session event log in this process's memory: for tests and for a host whose sessions need not outlive it.</summary>
public sealed class InMemorySessionEventLog : ISessionEventLog
{
    private readonly ConcurrentDictionary<string, Log> _logs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionLogRecord>> AppendAsync(string sessionId, IReadOnlyList<SessionLogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var log = _logs.GetOrAdd(sessionId, static _ => new Log());
        var stored = new List<SessionLogRecord>();
        lock (log)
        {
            foreach (var entry in entries)
            {
                if (log.Keys.ContainsKey(entry.DedupeKey))
                {
                    continue;
                }

                var record = new SessionLogRecord(log.Records.Count + 1, entry.Kind, entry.Data, entry.Timestamp);
                log.Records.Add(record);
                log.Keys[entry.DedupeKey] = record;
                stored.Add(record);
            }
        }

        return Task.FromResult<IReadOnlyList<SessionLogRecord>>(stored);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionLogRecord>> ReadAsync(string sessionId, long afterSequence, int maxCount, string? kind = null, CancellationToken cancellationToken = default)
    {
        if (!_logs.TryGetValue(sessionId, out var log))
        {
            return Task.FromResult<IReadOnlyList<SessionLogRecord>>([]);
        }

        lock (log)
        {
            return Task.FromResult<IReadOnlyList<SessionLogRecord>>(
                [.. log.Records.Skip((int)Math.Clamp(afterSequence, 0, log.Records.Count)).Where(r => kind is null || r.Kind == kind).Take(maxCount)]);
        }
    }

    /// <inheritdoc />
    public Task<SessionLogRecord?> FindAsync(string sessionId, string dedupeKey, CancellationToken cancellationToken = default)
    {
        if (!_logs.TryGetValue(sessionId, out var log))
        {
            return Task.FromResult<SessionLogRecord?>(null);
        }

        lock (log)
        {
            return Task.FromResult(log.Keys.GetValueOrDefault(dedupeKey));
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        _logs.TryRemove(sessionId, out _);
        return Task.CompletedTask;
    }

    private sealed class Log
    {
        public List<SessionLogRecord> Records { get; } = [];

        public Dictionary<string, SessionLogRecord> Keys { get; } = new(StringComparer.Ordinal);
    }
}
