using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Durable.Sqlite.Tests;

/// <summary>
/// Group commit: operations queued while the writer is busy commit together, and one that fails rolls back alone
/// while the others of its group commit once each.
/// </summary>
public sealed class SqliteWriterTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Group_OneOperationFails_ItsWritesRollBackAndTheOthersCommitOnce(int failing)
    {
        using var writer = new SqliteWriter($"Data Source={_database.DatabasePath}", "PRAGMA journal_mode=WAL;", null);
        await writer.WriteAsync((lease, transaction) => Execute(lease, transaction, "CREATE TABLE t (name TEXT NOT NULL UNIQUE)"));

        // The first write holds the writer until the others are queued, so that those four run as one group.
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holding = Task.Run(() => writer.WriteAsync((lease, transaction) =>
        {
            entered.Set();
            release.Wait();
            return Execute(lease, transaction, "INSERT INTO t VALUES ('first')");
        }));
        entered.Wait();
        var group = Enumerable.Range(0, 4).Select(i => writer.WriteAsync((lease, transaction) =>
        {
            Execute(lease, transaction, $"INSERT INTO t VALUES ('op{i}')");
            if (i == failing)
            {
                throw new InvalidOperationException($"op{i} refused");
            }

            return Execute(lease, transaction, $"INSERT INTO t VALUES ('op{i}-more')");
        })).ToList();
        release.Set();
        await holding;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => group[failing]);
        Assert.Equal($"op{failing} refused", error.Message);
        await Task.WhenAll(group.Where((_, i) => i != failing));
        var expected = new[] { "first" }.Concat(Enumerable.Range(0, 4).Where(i => i != failing).SelectMany(i => new[] { $"op{i}", $"op{i}-more" }));
        Assert.Equal(expected.Order(), Names().Order());
    }

    public void Dispose() => _database.Dispose();

    private static int Execute(SqliteWriter.Lease lease, SqliteTransaction transaction, string sql)
    {
        using var command = lease.Command(sql, transaction);
        return command.ExecuteNonQuery();
    }

    private List<string> Names()
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM t";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
