using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>A checkpoint is one transaction: all of it or nothing, also when it fails midway or shares a group commit.</summary>
public sealed class CheckpointTests
{
    [Theory]
    [InlineData("instance")]
    [InlineData("history")]
    [InlineData("tasks")]
    [InlineData("messages")]
    public async Task Checkpoint_ThrowsMidway_LeavesTheFileAsItWas(string point)
    {
        await using var hub = await TestHub.StartAsync();
        await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), "atomic", 1);
        var item = await ManualEpisode.LockAsync(hub.Service);
        var before = Dump(hub);

        hub.Service.CheckpointFault = at =>
        {
            if (at == point)
            {
                throw new IOException($"fault at {at}");
            }
        };
        var error = await Assert.ThrowsAsync<IOException>(() => ManualEpisode.CompleteFirstEpisodeAsync(hub.Service, item, withTimer: true));
        var afterFailure = Dump(hub);
        hub.Service.CheckpointFault = null;
        await ManualEpisode.CompleteFirstEpisodeAsync(hub.Service, item, withTimer: true);

        Assert.Equal($"fault at {point}", error.Message);
        Assert.Equal(before, afterFailure);
        Assert.Equal(5, hub.Count("SELECT COUNT(*) FROM history WHERE instance_id = 'atomic'"));
    }

    [Fact]
    public async Task Checkpoint_Succeeds_WritesHistoryTaskTimerAndConsumesTheMessage()
    {
        await using var hub = await TestHub.StartAsync();
        await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), "whole", 1);
        var item = await ManualEpisode.LockAsync(hub.Service);

        await ManualEpisode.CompleteFirstEpisodeAsync(hub.Service, item, withTimer: true);

        Assert.Equal(5, hub.Count("SELECT COUNT(*) FROM history WHERE instance_id = 'whole'"));
        Assert.Equal(5, hub.Count("SELECT history_length FROM instances WHERE instance_id = 'whole'"));
        Assert.Equal(0, hub.Count("SELECT status FROM instances WHERE instance_id = 'whole'"));
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM tasks WHERE instance_id = 'whole'"));
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM inbox WHERE instance_id = 'whole' AND event_type = 11"));
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM inbox WHERE instance_id = 'whole' AND event_type = 0"));
    }

    [Fact]
    public async Task Writer_OneOperationOfAGroupThrows_TheOthersCommitAndItAloneFails()
    {
        var folder = Directory.CreateTempSubdirectory("ao-writer-").FullName;
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "w.db"), Pooling = false }.ToString();
        try
        {
            using var writer = new SqliteWriter(() => new PreparedConnection(connectionString, "PRAGMA journal_mode=WAL;"));
            await writer.WriteAsync(scope => scope.Command("CREATE TABLE t (v TEXT)").ExecuteNonQuery());
            using var inFirst = new ManualResetEventSlim();
            using var holdFirst = new ManualResetEventSlim();

            // The first write holds the writer until the next three are queued: they then run as one group.
            var first = Task.Run(() => writer.WriteAsync(scope =>
            {
                inFirst.Set();
                holdFirst.Wait(TestHub.Timeout);
                return scope.Command("INSERT INTO t VALUES ('first')").ExecuteNonQuery();
            }));
            Assert.True(inFirst.Wait(TestHub.Timeout));
            var a = writer.WriteAsync(scope => scope.Command("INSERT INTO t VALUES ('a')").ExecuteNonQuery());
            var bad = writer.WriteAsync<int>(scope =>
            {
                scope.Command("INSERT INTO t VALUES ('bad')").ExecuteNonQuery();
                throw new InvalidOperationException("bad write");
            });
            var b = writer.WriteAsync(scope => scope.Command("INSERT INTO t VALUES ('b')").ExecuteNonQuery());
            holdFirst.Set();
            await first;

            await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
            Assert.Equal(1, await a);
            Assert.Equal(1, await b);
            var rows = await writer.WriteAsync(scope => scope.Command("SELECT group_concat(v, ',') FROM (SELECT v FROM t ORDER BY v)").ExecuteScalar() as string);
            Assert.Equal("a,b,first", rows);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every row of every table, as text.</summary>
    private static string Dump(TestHub hub)
    {
        using var connection = hub.OpenConnection();
        var text = new System.Text.StringBuilder();
        foreach (var table in new[] { "instances", "instance_data", "history", "inbox", "tasks", "poison_messages" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table} ORDER BY 1";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                text.Append(table).Append(':');
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.IsDBNull(i) ? "null" : reader.GetValue(i)).Append('|');
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }
}
