using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Sqlite.Tests;

/// <summary>
/// A file laid out by another version of the store is refused with a message that names it, never misread; a version-2
/// file is upgraded in place with nothing lost.
/// </summary>
public sealed class SchemaVersionTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    /// <summary>The instances table as versions 1 and 2 laid it out (version 3 kept it).</summary>
    private const string OldInstancesTable = """
        CREATE TABLE instances (instance_id TEXT PRIMARY KEY, name TEXT NOT NULL, execution_id TEXT NOT NULL, status INTEGER NOT NULL,
            input TEXT, output TEXT, custom_status TEXT, failure TEXT, created_at INTEGER NOT NULL, last_updated_at INTEGER NOT NULL,
            completed_at INTEGER, parent_instance_id TEXT, version INTEGER NOT NULL, lock_token TEXT, locked_until INTEGER);

        """;

    private readonly SqliteTestDatabase _database = new();

    [Fact]
    public async Task Initialize_Version1File_RefusedNamingTheFileAndWhatToDo()
    {
        // Version 1 set no user_version; its inbox had a global unique message id and AUTOINCREMENT.
        Execute(OldInstancesTable + """
            CREATE TABLE inbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL UNIQUE, instance_id TEXT NOT NULL,
                visible_at INTEGER NOT NULL, is_control INTEGER NOT NULL, delivery_count INTEGER NOT NULL DEFAULT 0, message TEXT NOT NULL);
            """);

        var store = new SqliteDurableStore(new SqliteStoreOptions { DatabasePath = _database.DatabasePath });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync());

        Assert.Contains(Path.GetFullPath(_database.DatabasePath), error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("delete the file", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'history'")); // nothing was added to it
    }

    [Fact]
    public async Task Initialize_NewerVersionFile_Refused()
    {
        Execute("PRAGMA user_version = 99; CREATE TABLE instances (instance_id TEXT PRIMARY KEY);");

        var store = new SqliteDurableStore(new SqliteStoreOptions { DatabasePath = _database.DatabasePath });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync());

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_CurrentVersionFile_OpensAgainWithItsInstances()
    {
        using (var first = await _database.CreateStoreAsync())
        {
            await first.CreateInstanceAsync(new NewInstance("kept", "Any", "e1", null, T0, T0), []);
        }

        using var second = await _database.CreateStoreAsync();

        Assert.Equal("kept", (await second.GetInstanceAsync("kept"))?.InstanceId);
        Assert.Equal(3L, Scalar("PRAGMA user_version"));
    }

    [Fact]
    public async Task Initialize_Version2File_UpgradedKeepingHistoryLogAndDedupeKeys()
    {
        // Version 2 kept history and the instance log keyed by instance (WITHOUT ROWID).
        Execute(OldInstancesTable + """
            CREATE TABLE history (instance_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY (instance_id, seq)) WITHOUT ROWID;
            CREATE TABLE instance_log (instance_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL,
                timestamp INTEGER NOT NULL, dedupe_key TEXT, PRIMARY KEY (instance_id, seq)) WITHOUT ROWID;
            CREATE UNIQUE INDEX ux_instance_log_dedupe ON instance_log(instance_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
            PRAGMA user_version = 2;
            """);
        HistoryEvent[] history = [new TimerFired(0, T0) { Timestamp = T0 }, new TimerFired(1, T0.AddMinutes(1)) { Timestamp = T0.AddMinutes(1) }];
        Execute(
            "INSERT INTO instances (instance_id, name, execution_id, status, created_at, last_updated_at, version) VALUES ('old', 'Any', 'e1', 1, 0, 0, 4);"
            + $"INSERT INTO history VALUES ('old', 1, '{HistorySerializer.Serialize(history[1])}'), ('old', 0, '{HistorySerializer.Serialize(history[0])}');"
            + $"INSERT INTO instance_log VALUES ('old', 2, 'second', '{{}}', {T0.UtcTicks}, 'k2'), ('old', 1, 'first', '{{}}', {T0.UtcTicks}, 'k1');");

        using var store = await _database.CreateStoreAsync();

        Assert.Equal(3L, Scalar("PRAGMA user_version"));
        Assert.Equal(history, await store.GetHistoryAsync("old"));
        Assert.Equal(["first", "second"], (await store.ReadLogAsync("old", 0, 10)).Select(r => r.Kind));
        var appended = await store.AppendLogAsync("old", [new InstanceLogEntry("again", "{}", T0, "k2"), new InstanceLogEntry("third", "{}", T0, "k3")]);
        Assert.Equal([(3L, "third")], appended.Select(r => (r.Sequence, r.Kind)));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM sqlite_master WHERE name LIKE '%_v2'"));
    }

    public void Dispose() => _database.Dispose();

    private void Execute(string sql)
    {
        using var connection = _database.OpenConnection();
        connection.Execute(sql);
    }

    private long Scalar(string sql)
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
