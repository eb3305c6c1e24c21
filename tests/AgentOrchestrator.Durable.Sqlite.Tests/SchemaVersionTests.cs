using AgentOrchestrator.Durable.Storage;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Durable.Sqlite.Tests;

/// <summary>A file laid out by another version of the store is refused with a message that names it, never misread.</summary>
public sealed class SchemaVersionTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly SqliteTestDatabase _database = new();

    [Fact]
    public async Task Initialize_Version1File_RefusedNamingTheFileAndWhatToDo()
    {
        // Version 1 set no user_version; its inbox had a global unique message id and AUTOINCREMENT.
        Execute("""
            CREATE TABLE instances (instance_id TEXT PRIMARY KEY, name TEXT NOT NULL, execution_id TEXT NOT NULL, status INTEGER NOT NULL,
                input TEXT, output TEXT, custom_status TEXT, failure TEXT, created_at INTEGER NOT NULL, last_updated_at INTEGER NOT NULL,
                completed_at INTEGER, parent_instance_id TEXT, version INTEGER NOT NULL, lock_token TEXT, locked_until INTEGER);
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
        Assert.Equal(2L, Scalar("PRAGMA user_version"));
    }

    public void Dispose() => _database.Dispose();

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_database.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_database.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
