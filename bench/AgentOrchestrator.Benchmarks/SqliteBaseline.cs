using System.Diagnostics;
using AgentOrchestrator.Durable.Sqlite;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Benchmarks;

/// <summary>The cost of one bare SQLite write transaction with the store's durability settings (WAL, same synchronous mode).</summary>
public static class SqliteBaseline
{
    public static double CommitMsP50(string folder, SqliteSynchronousMode synchronous, int commits = 2000)
    {
        var path = Path.Combine(folder, $"baseline-{Guid.NewGuid():N}.db");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(int)synchronous}; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);";
            setup.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO t (v) VALUES ('x')";
        var times = new List<double>(commits);
        for (var i = 0; i < commits; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            insert.ExecuteNonQuery();
            transaction.Commit();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return Percentiles.Of(times, 50);
    }
}
