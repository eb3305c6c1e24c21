using System.Diagnostics;
using AgentOrchestrator.DurableTask.Configuration;
using AgentOrchestrator.DurableTask.Sqlite;
using DurableTask.Core;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Benchmarks;

/// <summary>
/// The SQLite orchestration service on a file in a temp folder, with its defaults (synchronous FULL, extended sessions).
/// The baseline is one bare commit on the same file: a one-row INSERT in its own transaction into a scratch table, WAL,
/// synchronous FULL.
/// </summary>
public sealed class SqliteChainTarget : IChainTarget
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentorch-bench-").FullName;
    private readonly Dictionary<SqliteOrchestrationService, string> _services = [];
    private string _file = string.Empty;

    public string Name => "dtfx-sqlite";

    public string ExtraFigures => "synchronous=full";

    public IOrchestrationService CreateService()
    {
        _file = Path.Combine(_folder, $"bench-{Guid.NewGuid():N}.db");
        // The settings the host gives the service (host.json defaults), on a file of the benchmark's.
        var service = new SqliteOrchestrationService(OrchestrationServiceFactory.SqliteSettings(new DurableTaskHostOptions { StorageProvider = { DatabaseFile = _file } }));
        _services.Add(service, _file);
        return service;
    }

    /// <summary>Closes the service and deletes its file (a warm-up's; they add up to tens of megabytes).</summary>
    public Task DiscardAsync(IOrchestrationService service)
    {
        var sqlite = (SqliteOrchestrationService)service;
        _services.Remove(sqlite, out var file);
        sqlite.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(file + suffix);
        }

        return Task.CompletedTask;
    }

    public Task<double> BaselineCommitMsP50Async() => Task.FromResult(CommitMsP50(_file));

    public ValueTask DisposeAsync()
    {
        _services.Keys.ToList().ForEach(s => s.Dispose());
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>One-row INSERT commits on <paramref name="file"/> (a scratch table), WAL, synchronous FULL: the p50 in ms.</summary>
    public static double CommitMsP50(string file, int commits = 1000)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=30");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE IF NOT EXISTS bench_baseline (id INTEGER PRIMARY KEY, v TEXT);";
            setup.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO bench_baseline (v) VALUES ('x')";
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
