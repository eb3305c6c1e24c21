using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Sqlite.Tests;

/// <summary>
/// Reads run on kept-open connections with prepared statements: an idle one must neither show old data nor hold an old
/// snapshot that keeps the write-ahead log from being checkpointed (the file would grow without end).
/// </summary>
public sealed class SqliteReadConnectionTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly SqliteTestDatabase _database = new();

    [Fact]
    public async Task IdleReadConnections_SeeLaterWritesAndHoldNoSnapshot()
    {
        using var store = await _database.CreateStoreAsync();
        await store.AppendLogAsync("s", [new InstanceLogEntry("first", "{}", T0)]);
        // Several reads at once, so that several connections are opened and then kept.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.ReadLogAsync("s", 0, 10))));

        await store.AppendLogAsync("s", [new InstanceLogEntry("second", "{}", T0)]);
        var seen = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.ReadLogAsync("s", 0, 10))));

        Assert.All(seen, records => Assert.Equal(["first", "second"], records.Select(r => r.Kind)));
        using var connection = _database.OpenConnection();
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        using var result = checkpoint.ExecuteReader();
        Assert.True(result.Read());
        Assert.Equal((0L, 0L), (result.GetInt64(0), result.GetInt64(1))); // not blocked by a reader; the log is emptied
    }

    public void Dispose() => _database.Dispose();
}
