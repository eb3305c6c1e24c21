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
        DROP INDEX IF EXISTS ix_session_events_kind;
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
        var commands = WriteCommands();
        using var transaction = Writer().BeginTransaction(deferred: false);
        commands.Enlist(transaction);
        var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
        var results = new List<IReadOnlyList<SessionLogRecord>>(group.Count);
        foreach (var append in group)
        {
            var stored = new List<SessionLogRecord>();
            foreach (var entry in append.Entries)
            {
                if (commands.Exists(append.SessionId, entry.DedupeKey))
                {
                    continue;
                }

                if (!sequences.TryGetValue(append.SessionId, out var seq))
                {
                    seq = commands.LastSequence(append.SessionId);
                }

                seq++;
                sequences[append.SessionId] = seq;
                commands.Insert(append.SessionId, seq, entry);
                stored.Add(new SessionLogRecord(seq, entry.Kind, entry.Data, entry.Timestamp));
            }

            results.Add(stored);
        }

        transaction.Commit();
        return results;
    }

    private AppendCommands WriteCommands() => _commands ??= new AppendCommands(Writer());

    /// <summary>The append's statements on the write connection, prepared once and reused by every group.</summary>
    private sealed class AppendCommands : IDisposable
    {
        private readonly SqliteCommand _exists;
        private readonly SqliteCommand _last;
        private readonly SqliteCommand _insert;

        public AppendCommands(SqliteConnection connection)
        {
            _exists = Command(connection, null, "SELECT 1 FROM session_events WHERE session_id = $sid AND dedupe_key = $key");
            _exists.Parameters.Add("$sid", SqliteType.Text);
            _exists.Parameters.Add("$key", SqliteType.Text);
            _last = Command(connection, null, "SELECT COALESCE(MAX(seq), 0) FROM session_events WHERE session_id = $sid");
            _last.Parameters.Add("$sid", SqliteType.Text);
            _insert = Command(connection, null,
                "INSERT INTO session_events (session_id, seq, kind, data, at_ticks, offset_minutes, dedupe_key) VALUES ($sid, $seq, $kind, $data, $at, $offset, $key)");
            _insert.Parameters.Add("$sid", SqliteType.Text);
            _insert.Parameters.Add("$seq", SqliteType.Integer);
            _insert.Parameters.Add("$kind", SqliteType.Text);
            _insert.Parameters.Add("$data", SqliteType.Text);
            _insert.Parameters.Add("$at", SqliteType.Integer);
            _insert.Parameters.Add("$offset", SqliteType.Integer);
            _insert.Parameters.Add("$key", SqliteType.Text);
        }

        public void Enlist(SqliteTransaction transaction) => _exists.Transaction = _last.Transaction = _insert.Transaction = transaction;

        public bool Exists(string sessionId, string dedupeKey)
        {
            (_exists.Parameters[0].Value, _exists.Parameters[1].Value) = (sessionId, dedupeKey);
            return _exists.ExecuteScalar() is not null;
        }

        public long LastSequence(string sessionId)
        {
            _last.Parameters[0].Value = sessionId;
            return (long)_last.ExecuteScalar()!;
        }

        public void Insert(string sessionId, long seq, SessionLogEntry entry)
        {
            var p = _insert.Parameters;
            (p[0].Value, p[1].Value, p[2].Value, p[3].Value) = (sessionId, seq, entry.Kind, entry.Data);
            (p[4].Value, p[5].Value, p[6].Value) = (entry.Timestamp.UtcTicks, (long)entry.Timestamp.Offset.TotalMinutes, entry.DedupeKey);
            _insert.ExecuteNonQuery();
        }

        public void Dispose()
        {
            _exists.Dispose();
            _last.Dispose();
            _insert.Dispose();
        }
    }
}
