using AgentOrchestrator.Agents.EventLog;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Agents.Tests.EventLog;

/// <summary>
/// What only the SQLite log has to get right: a file written by an earlier version (one table, <c>session_events</c>,
/// clustered by session and sequence) opens with every record, every dedupe key and the numbering intact.
/// </summary>
public sealed class SqliteSessionEventLogTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 15, 0, TimeSpan.FromHours(1));
    private readonly string _folder = Directory.CreateTempSubdirectory("ao-eventlog-").FullName;

    [Fact]
    public async Task Open_FileOfTheEarlierLayout_ReadsEverySessionsRecordsAndContinuesTheirNumbering()
    {
        var file = Path.Combine(_folder, "session-events.db");
        WriteEarlierLayout(file,
            ("s-a", 1, "turn.started", """{"turn":1}""", "s-a:1:turn"),
            ("s-a", 2, "turn.completed", """{"turn":1}""", "s-a:1:completed"),
            ("s-b", 1, "turn.started", """{"turn":1}""", "s-b:1:turn"));
        using var log = new SqliteSessionEventLog(file);

        var a = await log.ReadAsync("s-a", 0, 100);
        var b = await log.ReadAsync("s-b", 0, 100);
        var found = await log.FindAsync("s-a", "s-a:1:completed");
        var appended = await log.AppendAsync("s-a", [
            new SessionLogEntry("turn.completed", """{"again":true}""", At, "s-a:1:completed"),
            new SessionLogEntry("turn.started", """{"turn":2}""", At, "s-a:2:turn")]);

        Assert.Equal([new SessionLogRecord(1, "turn.started", """{"turn":1}""", At), new SessionLogRecord(2, "turn.completed", """{"turn":1}""", At)], a);
        Assert.Equal([new SessionLogRecord(1, "turn.started", """{"turn":1}""", At)], b);
        Assert.Equal(new SessionLogRecord(2, "turn.completed", """{"turn":1}""", At), found);
        Assert.Equal([new SessionLogRecord(3, "turn.started", """{"turn":2}""", At)], appended);
        Assert.False(TableExists(file, "session_events"), "the earlier table is still in the file after its rows moved");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The table and index as the log created them before the log moved to <c>session_log</c>, with rows.</summary>
    private static void WriteEarlierLayout(string file, params (string Session, long Seq, string Kind, string Data, string Key)[] rows)
    {
        using var connection = Open(file);
        using var create = connection.CreateCommand();
        create.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE session_events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL,
                at_ticks INTEGER NOT NULL, offset_minutes INTEGER NOT NULL, dedupe_key TEXT NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
            CREATE UNIQUE INDEX ix_session_events_key ON session_events (session_id, dedupe_key);
            """;
        create.ExecuteNonQuery();
        foreach (var row in rows)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO session_events VALUES ($sid, $seq, $kind, $data, $at, $offset, $key)";
            insert.Parameters.AddWithValue("$sid", row.Session);
            insert.Parameters.AddWithValue("$seq", row.Seq);
            insert.Parameters.AddWithValue("$kind", row.Kind);
            insert.Parameters.AddWithValue("$data", row.Data);
            insert.Parameters.AddWithValue("$at", At.UtcTicks);
            insert.Parameters.AddWithValue("$offset", (long)At.Offset.TotalMinutes);
            insert.Parameters.AddWithValue("$key", row.Key);
            insert.ExecuteNonQuery();
        }
    }

    private static bool TableExists(string file, string table)
    {
        using var connection = Open(file);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", table);
        return command.ExecuteScalar() is not null;
    }

    private static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
