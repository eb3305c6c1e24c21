using AgentOrchestrator.Durable.Storage;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Durable.Sqlite;

public sealed partial class SqliteDurableStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<InstanceLogRecord>> AppendLogAsync(string instanceId, IReadOnlyList<InstanceLogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<InstanceLogRecord>>([]);
        }

        return _writer.WriteAsync<IReadOnlyList<InstanceLogRecord>>((connection, transaction) => AppendLog(connection, transaction, instanceId, entries));
    }

    /// <summary>
    /// Appends inside the caller's transaction (an append of its own, or a checkpoint's entries). Each row takes the next
    /// sequence in its own statement, so an entry skipped for a known key leaves no gap and no separate query is needed.
    /// </summary>
    private static List<InstanceLogRecord> AppendLog(SqliteWriter.Lease connection, SqliteTransaction transaction, string instanceId, IReadOnlyList<InstanceLogEntry> entries)
    {
        using var insert = connection.Command(
            "INSERT OR IGNORE INTO instance_log (instance_id, seq, kind, data, timestamp, dedupe_key) "
            + "VALUES ($id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM instance_log WHERE instance_id = $id), $kind, $data, $ts, $key) RETURNING seq", transaction)
            .With("$id", instanceId).With("$kind", null).With("$data", null).With("$ts", 0L).With("$key", null);
        var stored = new List<InstanceLogRecord>(entries.Count);
        foreach (var entry in entries)
        {
            insert.Set("$kind", entry.Kind);
            insert.Set("$data", entry.Data);
            insert.Set("$ts", entry.Timestamp.Ticks());
            insert.Set("$key", entry.DedupeKey);
            if (insert.ExecuteScalar() is long seq)
            {
                stored.Add(new InstanceLogRecord(seq, entry.Kind, entry.Data, entry.Timestamp));
            }
        }

        return stored;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InstanceLogRecord>> ReadLogAsync(string instanceId, long afterSequence, int maxCount, string? kind = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        return Task.FromResult(Read(connection =>
        {
            using var command = connection.Command(
                "SELECT seq, kind, data, timestamp FROM instance_log WHERE instance_id = $id AND seq > $after AND ($kind IS NULL OR kind = $kind) ORDER BY seq LIMIT $max")
                .With("$id", instanceId).With("$after", afterSequence).With("$max", maxCount).With("$kind", kind);
            using var reader = command.ExecuteReader();
            var records = new List<InstanceLogRecord>();
            while (reader.Read())
            {
                records.Add(new InstanceLogRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3).ToTime()));
            }

            return (IReadOnlyList<InstanceLogRecord>)records;
        }));
    }
}
