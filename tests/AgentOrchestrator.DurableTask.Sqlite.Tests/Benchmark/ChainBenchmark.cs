using System.Diagnostics;
using DurableTask.Core;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests.Benchmark;

/// <summary>
/// Measures a step of a sequential activity chain against one bare SQLite commit on the same disk: <c>chains</c> instances
/// of <see cref="Chain"/> with <c>steps</c> activities each run at once on one worker (default settings: synchronous FULL,
/// extended sessions), after a warm-up of three rounds of 30-step chains; a step costs the run's wall time divided by all steps. The bare commit is a one-row INSERT in its own
/// transaction (WAL, synchronous FULL) into a scratch table of the same file, timed before and after the chains; the median of both series is used.
/// </summary>
internal static class ChainBenchmark
{
    /// <summary>Runs the benchmark in <paramref name="folder"/>.</summary>
    public static async Task<ChainBenchmarkResult> RunAsync(
        string folder, int steps, int chains, int commits = 500, Action<SqliteOrchestrationServiceSettings>? configure = null)
    {
        var settings = new SqliteOrchestrationServiceSettings { DatabasePath = Path.Combine(folder, "bench.db"), TaskHubName = "bench" };
        configure?.Invoke(settings);
        using var service = new SqliteOrchestrationService(settings);
        await service.CreateIfNotExistsAsync();
        var commitBefore = MeasureBareCommits(settings.DatabasePath, commits);
        var worker = new TaskHubWorker(service);
        worker.AddTaskOrchestrations(typeof(Chain)).AddTaskActivities(typeof(Increment));
        await worker.StartAsync();
        try
        {
            var client = new TaskHubClient(service);
            // Warm up: the JIT compiles (and recompiles, tiered) DurableTask.Core's and the service's code paths in the first
            // thousands of steps; the figure is the steady state of a long-running worker.
            for (var round = 0; round < 3; round++)
            {
                var warmUp = await Task.WhenAll(Enumerable.Range(0, chains).Select(_ => client.CreateOrchestrationInstanceAsync(typeof(Chain), 30)));
                await Task.WhenAll(warmUp.Select(i => client.WaitForOrchestrationAsync(i, TestHub.Timeout)));
            }

            var clock = Stopwatch.StartNew();
            var instances = await Task.WhenAll(Enumerable.Range(0, chains).Select(_ => client.CreateOrchestrationInstanceAsync(typeof(Chain), steps)));
            var states = await Task.WhenAll(instances.Select(i => client.WaitForOrchestrationAsync(i, TimeSpan.FromMinutes(5))));
            clock.Stop();
            if (states.Any(s => s?.OrchestrationStatus != OrchestrationStatus.Completed || s.Output != steps.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                throw new InvalidOperationException("A chain did not complete with its step count.");
            }

            var commitAfter = MeasureBareCommits(settings.DatabasePath, commits);
            var commit = Median([.. commitBefore, .. commitAfter]);
            var step = clock.Elapsed.TotalNanoseconds / (steps * chains);
            return new ChainBenchmarkResult(steps, chains, step, commit, step / commit, clock.Elapsed);
        }
        finally
        {
            await worker.StopAsync(isForced: false);
            worker.Dispose();
        }
    }

    /// <summary>Nanoseconds of each of <paramref name="count"/> one-row INSERT transactions into a scratch table of the file (WAL, synchronous FULL).</summary>
    public static List<double> MeasureBareCommits(string path, int count)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; "
                + "CREATE TABLE IF NOT EXISTS bench_bare_commit (id INTEGER PRIMARY KEY, v TEXT NOT NULL);";
            setup.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO bench_bare_commit (v) VALUES ($v)";
        insert.Parameters.AddWithValue("$v", "x");
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            using (var transaction = connection.BeginTransaction())
            {
                insert.Transaction = transaction;
                insert.ExecuteNonQuery();
                transaction.Commit();
            }

            times.Add(clock.Elapsed.TotalNanoseconds);
        }

        return times;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
