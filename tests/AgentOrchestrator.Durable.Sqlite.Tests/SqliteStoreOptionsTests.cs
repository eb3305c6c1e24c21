using AgentOrchestrator.Durable.Storage;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Durable.Sqlite.Tests;

/// <summary>The store's options: bad values are refused by name, good ones reach the connection that writes.</summary>
public sealed class SqliteStoreOptionsTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    public void WalAutoCheckpointPages_BelowHundred_RefusedNamingTheOption(int pages)
    {
        var error = Assert.Throws<ArgumentException>(() => new SqliteDurableStore(
            new SqliteStoreOptions { DatabasePath = _database.DatabasePath, WalAutoCheckpointPages = pages }));

        Assert.Contains("WalAutoCheckpointPages", error.Message, StringComparison.Ordinal);
        Assert.Contains($"got {pages}", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_database.DatabasePath));
    }

    [Theory]
    [InlineData(null, 10_000L)]
    [InlineData(250, 250L)]
    public async Task WalAutoCheckpointPages_IsTheWritersCheckpointInterval(int? pages, long expected)
    {
        long? seen = null;
        var options = new SqliteStoreOptions
        {
            DatabasePath = _database.DatabasePath,
            ConnectionOpened = connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_autocheckpoint";
                seen = (long)command.ExecuteScalar()!;
            },
        };
        options.WalAutoCheckpointPages = pages ?? options.WalAutoCheckpointPages;
        var store = new SqliteDurableStore(options);
        await store.InitializeAsync();

        await store.AppendLogAsync("s1", [new InstanceLogEntry("note", "x", DateTimeOffset.UnixEpoch)]); // opens the writer

        Assert.Equal(expected, seen);
        store.Dispose();
        SqliteConnection.ClearAllPools();
    }

    public void Dispose() => _database.Dispose();
}
