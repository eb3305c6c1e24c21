using System.Diagnostics;
using System.Globalization;
using AgentOrchestrator.Durable;
using AgentOrchestrator.Durable.Orchestration;
using AgentOrchestrator.Durable.Sqlite;
using AgentOrchestrator.Durable.Worker;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Benchmarks;

/// <summary>
/// What a cache miss costs: loading a long history from a cold SQLite store, and replaying it through
/// the orchestrator code. The execution cache exists so that this is paid only after eviction or restart.
/// </summary>
public static class ReplayBenchmark
{
    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var events = arguments.GetInt("events", 1000);
        var folder = Directory.CreateTempSubdirectory("agentorch-replay-").FullName;
        try
        {
            var options = new SqliteStoreOptions { DatabasePath = Path.Combine(folder, "replay.db") };
            var registry = new DurableTaskRegistry()
                .AddActivity<int, int>("Noop", (_, x) => Task.FromResult(x + 1))
                .AddOrchestrator<int, int>("Long", async (ctx, n) =>
                {
                    var value = 0;
                    for (var i = 0; i < n; i++)
                    {
                        value = await ctx.CallActivityAsync<int>("Noop", value);
                    }

                    return value;
                });
            var instanceId = await RecordHistoryAsync(options, registry, steps: events / 3);

            var loads = new List<double>();
            IReadOnlyList<AgentOrchestrator.Durable.History.HistoryEvent> history = [];
            for (var i = 0; i < 20; i++)
            {
                SqliteConnection.ClearAllPools();
                var cold = new SqliteDurableStore(options);
                var started = Stopwatch.GetTimestamp();
                history = await cold.GetHistoryAsync(instanceId);
                loads.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var replays = new List<double>();
            for (var i = 0; i < 50; i++)
            {
                var executor = new OrchestrationExecutor(instanceId, registry.FindOrchestrator);
                var started = Stopwatch.GetTimestamp();
                executor.Replay(history);
                replays.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds / history.Count);
                if (executor.Outcome is not ExecutionOutcome.Completed)
                {
                    throw new InvalidOperationException($"Replay ended with {executor.Outcome}.");
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"events={history.Count} cold_load_ms={Percentiles.Of(loads, 50):F3} replay_us_per_event={Percentiles.Of(replays, 50):F3}"));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> RecordHistoryAsync(SqliteStoreOptions options, DurableTaskRegistry registry, int steps)
    {
        var store = new SqliteDurableStore(options);
        await store.InitializeAsync();
        var notifier = new DurableWorkNotifier();
        using var services = new ServiceCollection().BuildServiceProvider();
        using var worker = new DurableWorker(store, registry, services, notifier, Options.Create(new DurableWorkerOptions()), TimeProvider.System, NullLogger<DurableWorker>.Instance);
        var client = new DurableTaskClient(store, TimeProvider.System, notifier);
        await worker.StartAsync(CancellationToken.None);
        var id = await client.ScheduleNewOrchestrationInstanceAsync("Long", steps);
        await client.WaitForInstanceCompletionAsync(id);
        await worker.StopAsync(CancellationToken.None);
        return id;
    }
}
