using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>The schema, and the group commit: every append queued while one transaction runs goes into the next.</summary>
public sealed partial class SqliteSessionEventLog
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS session_events (
            session_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            data TEXT NOT NULL,
            at_ticks INTEGER NOT NULL,
            offset_minutes INTEGER NOT NULL,
            dedupe_key TEXT NOT NULL,
            PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
        CREATE UNIQUE INDEX IF NOT EXISTS ix_session_events_key ON session_events (session_id, dedupe_key);
        CREATE INDEX IF NOT EXISTS ix_session_events_kind ON session_events (session_id, kind, seq);
        """;

    private void EnsureSchema()
    {
        lock (_schemaGate)
        {
            if (_schemaReady)
            {
                return;
            }

            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using var create = Command(connection, null, "PRAGMA journal_mode=WAL;" + Schema);
            create.ExecuteNonQuery();
            _schemaReady = true;
        }
    }

    /// <summary>Writes up to <see cref="MaxGroup"/> queued appends in one transaction; one that fails is retried alone.</summary>
    private void WriteQueued()
    {
        var group = new List<PendingAppend>();
        while (group.Count < MaxGroup && _queue.TryDequeue(out var append))
        {
            group.Add(append);
        }

        if (group.Count == 0)
        {
            return;
        }

        try
        {
            var results = Write(group);
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Completion.TrySetResult(results[i]);
            }
        }
        catch (Exception) when (group.Count > 1)
        {
            // One append spoiled the group: write each alone, so only its own caller sees its error.
            foreach (var append in group)
            {
                WriteAlone(append);
            }
        }
        catch (Exception e)
        {
            group[0].Completion.TrySetException(e);
        }
    }

    private void WriteAlone(PendingAppend append)
    {
        try
        {
            append.Completion.TrySetResult(Write([append])[0]);
        }
        catch (Exception e)
        {
            append.Completion.TrySetException(e);
        }
    }

    private List<IReadOnlyList<SessionLogRecord>> Write(List<PendingAppend> group)
    {
        var writer = Writer();
        using var transaction = writer.BeginTransaction(deferred: false);
        using var exists = Command(writer, transaction, "SELECT 1 FROM session_events WHERE session_id = $sid AND dedupe_key = $key");
        using var last = Command(writer, transaction, "SELECT COALESCE(MAX(seq), 0) FROM session_events WHERE session_id = $sid");
        using var insert = Command(writer, transaction,
            "INSERT INTO session_events (session_id, seq, kind, data, at_ticks, offset_minutes, dedupe_key) VALUES ($sid, $seq, $kind, $data, $at, $offset, $key)");
        var sid = exists.Parameters.Add("$sid", SqliteType.Text);
        var key = exists.Parameters.Add("$key", SqliteType.Text);
        var lastSid = last.Parameters.Add("$sid", SqliteType.Text);
        var (iSid, iSeq, iKind, iData, iAt, iKey) = (
            insert.Parameters.Add("$sid", SqliteType.Text), insert.Parameters.Add("$seq", SqliteType.Integer), insert.Parameters.Add("$kind", SqliteType.Text),
            insert.Parameters.Add("$data", SqliteType.Text), insert.Parameters.Add("$at", SqliteType.Integer), insert.Parameters.Add("$key", SqliteType.Text));
        var iOffset = insert.Parameters.Add("$offset", SqliteType.Integer);
        var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
        var results = new List<IReadOnlyList<SessionLogRecord>>(group.Count);
        foreach (var append in group)
        {
            var stored = new List<SessionLogRecord>();
            foreach (var entry in append.Entries)
            {
                (sid.Value, key.Value) = (append.SessionId, entry.DedupeKey);
                if (exists.ExecuteScalar() is not null)
                {
                    continue;
                }

                if (!sequences.TryGetValue(append.SessionId, out var seq))
                {
                    lastSid.Value = append.SessionId;
                    seq = (long)last.ExecuteScalar()!;
                }

                seq++;
                sequences[append.SessionId] = seq;
                (iSid.Value, iSeq.Value, iKind.Value, iData.Value, iAt.Value, iKey.Value) =
                    (append.SessionId, seq, entry.Kind, entry.Data, entry.Timestamp.UtcTicks, entry.DedupeKey);
                iOffset.Value = (long)entry.Timestamp.Offset.TotalMinutes;
                insert.ExecuteNonQuery();
                stored.Add(new SessionLogRecord(seq, entry.Kind, entry.Data, entry.Timestamp));
            }

            results.Add(stored);
        }

        transaction.Commit();
        return results;
    }
}
