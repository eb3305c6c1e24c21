using System.IO.Hashing;
using System.Text;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>The schema, and the group commit: every append queued while one transaction runs goes into the next.</summary>
public sealed partial class SqliteSessionEventLog
{
    // The log's rows go to one table in append order over all sessions (its rowid), so a group commit of appends from many
    // sessions writes the table's last pages instead of a page in each session's stretch of the table; the two indexes
    // hold short entries only: a session's number (not its 34-character id) with its sequence, and with a 64-bit hash of
    // each dedupe key (a hash match is confirmed on the stored key). Layout and measurements: docs/PERFORMANCE.md.
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS session_log_sessions (
            sid INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS session_log (
            id INTEGER PRIMARY KEY,
            sid INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            data TEXT NOT NULL,
            at_ticks INTEGER NOT NULL,
            offset_minutes INTEGER NOT NULL,
            key_hash INTEGER NOT NULL,
            dedupe_key TEXT NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS ix_session_log_seq ON session_log (sid, seq);
        CREATE INDEX IF NOT EXISTS ix_session_log_key ON session_log (sid, key_hash);
        """;

    // Files written before this layout kept the log in session_events, one B-tree clustered by (session_id, seq). Their rows
    // move into the new tables once, in the transaction that creates them.
    private const string Migration = """
        INSERT OR IGNORE INTO session_log_sessions (session_id) SELECT DISTINCT session_id FROM session_events ORDER BY session_id;
        INSERT INTO session_log (sid, seq, kind, data, at_ticks, offset_minutes, key_hash, dedupe_key)
            SELECT s.sid, e.seq, e.kind, e.data, e.at_ticks, e.offset_minutes, key_hash(e.dedupe_key), e.dedupe_key
            FROM session_events e JOIN session_log_sessions s ON s.session_id = e.session_id ORDER BY e.session_id, e.seq;
        DROP TABLE session_events;
        """;

    /// <summary>The stored hash of a dedupe key: the first 64 bits of its XXH64 over UTF-8, the same in every process.</summary>
    private static long KeyHash(string dedupeKey) => unchecked((long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(dedupeKey)));

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
            using (var wal = Command(connection, null, "PRAGMA journal_mode=WAL;"))
            {
                wal.ExecuteNonQuery();
            }

            using var transaction = connection.BeginTransaction(deferred: false);
            using (var create = Command(connection, transaction, Schema))
            {
                create.ExecuteNonQuery();
            }

            using (var old = Command(connection, transaction, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'session_events'"))
            {
                if (old.ExecuteScalar() is not null)
                {
                    connection.CreateFunction("key_hash", (string key) => KeyHash(key), isDeterministic: true);
                    using var migrate = Command(connection, transaction, Migration);
                    migrate.ExecuteNonQuery();
                }
            }

            transaction.Commit();
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
        var sessions = new Dictionary<string, (long Sid, long Seq)>(StringComparer.Ordinal);
        var results = new List<IReadOnlyList<SessionLogRecord>>(group.Count);
        foreach (var append in group)
        {
            var stored = new List<SessionLogRecord>();
            if (!sessions.TryGetValue(append.SessionId, out var session))
            {
                var sid = commands.SessionNumber(append.SessionId);
                session = (sid, commands.LastSequence(sid));
            }

            foreach (var entry in append.Entries)
            {
                var hash = KeyHash(entry.DedupeKey);
                if (commands.Exists(session.Sid, hash, entry.DedupeKey))
                {
                    continue;
                }

                session.Seq++;
                commands.Insert(session.Sid, session.Seq, hash, entry);
                stored.Add(new SessionLogRecord(session.Seq, entry.Kind, entry.Data, entry.Timestamp));
            }

            sessions[append.SessionId] = session;
            results.Add(stored);
        }

        transaction.Commit();
        return results;
    }

    private AppendCommands WriteCommands() => _commands ??= new AppendCommands(Writer());

    /// <summary>The append's statements on the write connection, prepared once and reused by every group.</summary>
    private sealed class AppendCommands : IDisposable
    {
        private readonly SqliteCommand _findSession;
        private readonly SqliteCommand _addSession;
        private readonly SqliteCommand _exists;
        private readonly SqliteCommand _last;
        private readonly SqliteCommand _insert;

        public AppendCommands(SqliteConnection connection)
        {
            _findSession = Command(connection, null, "SELECT sid FROM session_log_sessions WHERE session_id = $sid");
            _findSession.Parameters.Add("$sid", SqliteType.Text);
            _addSession = Command(connection, null, "INSERT INTO session_log_sessions (session_id) VALUES ($sid) RETURNING sid");
            _addSession.Parameters.Add("$sid", SqliteType.Text);
            _exists = Command(connection, null, "SELECT 1 FROM session_log WHERE sid = $sid AND key_hash = $hash AND dedupe_key = $key");
            _exists.Parameters.Add("$sid", SqliteType.Integer);
            _exists.Parameters.Add("$hash", SqliteType.Integer);
            _exists.Parameters.Add("$key", SqliteType.Text);
            _last = Command(connection, null, "SELECT COALESCE(MAX(seq), 0) FROM session_log WHERE sid = $sid");
            _last.Parameters.Add("$sid", SqliteType.Integer);
            _insert = Command(connection, null,
                "INSERT INTO session_log (sid, seq, kind, data, at_ticks, offset_minutes, key_hash, dedupe_key) VALUES ($sid, $seq, $kind, $data, $at, $offset, $hash, $key)");
            _insert.Parameters.Add("$sid", SqliteType.Integer);
            _insert.Parameters.Add("$seq", SqliteType.Integer);
            _insert.Parameters.Add("$kind", SqliteType.Text);
            _insert.Parameters.Add("$data", SqliteType.Text);
            _insert.Parameters.Add("$at", SqliteType.Integer);
            _insert.Parameters.Add("$offset", SqliteType.Integer);
            _insert.Parameters.Add("$hash", SqliteType.Integer);
            _insert.Parameters.Add("$key", SqliteType.Text);
        }

        public void Enlist(SqliteTransaction transaction)
            => _findSession.Transaction = _addSession.Transaction = _exists.Transaction = _last.Transaction = _insert.Transaction = transaction;

        /// <summary>The session's number in the log, given to it by its first append.</summary>
        public long SessionNumber(string sessionId)
        {
            _findSession.Parameters[0].Value = sessionId;
            if (_findSession.ExecuteScalar() is long sid)
            {
                return sid;
            }

            _addSession.Parameters[0].Value = sessionId;
            return (long)_addSession.ExecuteScalar()!;
        }

        public bool Exists(long sid, long hash, string dedupeKey)
        {
            (_exists.Parameters[0].Value, _exists.Parameters[1].Value, _exists.Parameters[2].Value) = (sid, hash, dedupeKey);
            return _exists.ExecuteScalar() is not null;
        }

        public long LastSequence(long sid)
        {
            _last.Parameters[0].Value = sid;
            return (long)_last.ExecuteScalar()!;
        }

        public void Insert(long sid, long seq, long hash, SessionLogEntry entry)
        {
            var p = _insert.Parameters;
            (p[0].Value, p[1].Value, p[2].Value, p[3].Value) = (sid, seq, entry.Kind, entry.Data);
            (p[4].Value, p[5].Value, p[6].Value, p[7].Value) = (entry.Timestamp.UtcTicks, (long)entry.Timestamp.Offset.TotalMinutes, hash, entry.DedupeKey);
            _insert.ExecuteNonQuery();
        }

        public void Dispose()
        {
            _findSession.Dispose();
            _addSession.Dispose();
            _exists.Dispose();
            _last.Dispose();
            _insert.Dispose();
        }
    }
}
