using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>
/// The session event log in a SQLite file of its own, beside the orchestration service's (the host's
/// <c>session-events.db</c>): the table <c>session_log</c> and its sessions' numbers in <c>session_log_sessions</c>, WAL,
/// synchronous FULL. Two writers on one file would wait on each other's write lock. Appends from the whole process share
/// one write connection and are committed together when they queue up (group commit); reads use pooled connections and
/// never block writes. Several processes may share the file: SQLite's write lock serializes their appends.
/// </summary>
public sealed partial class SqliteSessionEventLog : ISessionEventLog, IDisposable
{
    private const int MaxGroup = 64;

    /// <summary>SQL for the log's number of the session in parameter <c>$sid</c>, read in the statement's own transaction.</summary>
    private const string SessionNumberOf = "(SELECT sid FROM session_log_sessions WHERE session_id = $sid)";

    private readonly string _connectionString;
    private readonly ConcurrentQueue<PendingAppend> _queue = new();
    private readonly SemaphoreSlim _leader = new(1, 1);
    private readonly Lock _schemaGate = new();
    private SqliteConnection? _writer;
    private AppendCommands? _commands;
    private bool _schemaReady;

    /// <summary>Uses (and creates if needed) the log's table in <paramref name="databasePath"/>.</summary>
    public SqliteSessionEventLog(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(databasePath), DefaultTimeout = 30, Pooling = true }.ToString();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionLogRecord>> AppendAsync(string sessionId, IReadOnlyList<SessionLogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<SessionLogRecord>>([]);
        }

        var append = new PendingAppend(sessionId, entries);
        _queue.Enqueue(append);
        while (!_queue.IsEmpty && _leader.Wait(0))
        {
            try
            {
                WriteQueued();
            }
            finally
            {
                _leader.Release();
            }
        }

        return append.Completion.Task;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionLogRecord>> ReadAsync(string sessionId, long afterSequence, int maxCount, string? kind = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = kind is null
            ? $"SELECT seq, kind, data, at_ticks, offset_minutes FROM session_log WHERE sid = {SessionNumberOf} AND seq > $after ORDER BY seq LIMIT $max"
            : $"SELECT seq, kind, data, at_ticks, offset_minutes FROM session_log WHERE sid = {SessionNumberOf} AND kind = $kind AND seq > $after ORDER BY seq LIMIT $max";
        command.Parameters.AddWithValue("$sid", sessionId);
        command.Parameters.AddWithValue("$after", Math.Max(0, afterSequence));
        command.Parameters.AddWithValue("$max", maxCount);
        command.Parameters.AddWithValue("$kind", (object?)kind ?? DBNull.Value);
        var records = new List<SessionLogRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            records.Add(Record(reader));
        }

        return Task.FromResult<IReadOnlyList<SessionLogRecord>>(records);
    }

    /// <inheritdoc />
    public Task<SessionLogRecord?> FindAsync(string sessionId, string dedupeKey, CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT seq, kind, data, at_ticks, offset_minutes FROM session_log WHERE sid = {SessionNumberOf} AND key_hash = $hash AND dedupe_key = $key";
        command.Parameters.AddWithValue("$sid", sessionId);
        command.Parameters.AddWithValue("$hash", KeyHash(dedupeKey));
        command.Parameters.AddWithValue("$key", dedupeKey);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? Record(reader) : null);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await _leader.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = Writer().BeginTransaction();
            using var delete = Command(Writer(), transaction,
                $"DELETE FROM session_log WHERE sid = {SessionNumberOf}; DELETE FROM session_log_sessions WHERE session_id = $sid;");
            delete.Parameters.AddWithValue("$sid", sessionId);
            delete.ExecuteNonQuery();
            transaction.Commit();
        }
        finally
        {
            _leader.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _leader.Wait();
        try
        {
            _commands?.Dispose();
            _commands = null;
            _writer?.Dispose();
            _writer = null;
        }
        finally
        {
            _leader.Release();
        }
    }

    private static SessionLogRecord Record(SqliteDataReader reader)
        => new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), Timestamp(reader.GetInt64(3), reader.GetInt64(4)));

    private static DateTimeOffset Timestamp(long utcTicks, long offsetMinutes)
    {
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private SqliteConnection OpenReader()
    {
        EnsureSchema();
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private SqliteConnection Writer()
    {
        EnsureSchema();
        if (_writer is null)
        {
            _writer = new SqliteConnection(_connectionString);
            _writer.Open();
            using var pragmas = Command(_writer, null, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
            pragmas.ExecuteNonQuery();
        }

        return _writer;
    }

    /// <summary>One append waiting for its group's transaction.</summary>
    private sealed class PendingAppend(string sessionId, IReadOnlyList<SessionLogEntry> entries)
    {
        public string SessionId { get; } = sessionId;

        public IReadOnlyList<SessionLogEntry> Entries { get; } = entries;

        public TaskCompletionSource<IReadOnlyList<SessionLogRecord>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
