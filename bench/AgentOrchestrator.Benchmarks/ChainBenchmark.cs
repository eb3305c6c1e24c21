using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using AgentOrchestrator.Durable;
using AgentOrchestrator.Durable.Sqlite;
using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Benchmarks;

/// <summary>
/// Runs sequential chains of no-op activities and reports the engine's cost per step next to the
/// cost of one bare commit measured in the same run.
/// </summary>
public static class ChainBenchmark
{
    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var steps = arguments.GetInt("steps", 200);
        var instances = arguments.GetInt("instances", 20);
        await using var target = CreateTarget(arguments);
        await RunChainsAsync(arguments, await target.CreateStoreAsync(), steps: 5, instances: 2); // warm-up: JIT and connection pools
        var baseline = await target.BaselineCommitMsP50Async();
        var run = await RunChainsAsync(arguments, await target.CreateStoreAsync(), steps, instances);
        var baselineAfter = await target.BaselineCommitMsP50Async();
        var commit = (baseline + baselineAfter) / 2;

        var window = Math.Max(instances, 20);
        var perStep = new List<double>();
        for (var i = 0; i + window < run.StepTimestamps.Count; i += window)
        {
            perStep.Add(Stopwatch.GetElapsedTime(run.StepTimestamps[i], run.StepTimestamps[i + window]).TotalMilliseconds / window);
        }

        var p50 = Percentiles.Of(perStep, 50);
        var p99 = Percentiles.Of(perStep, 99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"chains={instances} steps_total={run.StepTimestamps.Count} elapsed_s={run.Elapsed.TotalSeconds:F2} steps_per_s={run.StepTimestamps.Count / run.Elapsed.TotalSeconds:F0} "
            + $"chain_step_latency_ms_p50={Percentiles.Of(run.ChainLatenciesMs, 50):F3} chain_step_latency_ms_p99={Percentiles.Of(run.ChainLatenciesMs, 99):F3} "
            + $"commit_ms_before={baseline:F3} commit_ms_after={baselineAfter:F3} {target.ExtraFigures(run.StepTimestamps.Count)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store={target.Name} steps={steps} per_step_ms_p50={p50:F3} per_step_ms_p99={p99:F3} commit_ms_p50={commit:F3} ratio_to_commit={p50 / commit:F2}"));
        return 0;
    }

    private static IBenchTarget CreateTarget(BenchArguments arguments) => arguments.Get("store", "sqlite") switch
    {
        "sqlite" => new SqliteBenchTarget(Enum.Parse<SqliteSynchronousMode>(arguments.Get("synchronous", "full"), ignoreCase: true)),
        "azure" => new AzureBenchTarget(
            arguments.Get("connection", Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING") ?? "UseDevelopmentStorage=true"),
            arguments.GetInt("partitions", 4)),
        var other => throw new ArgumentException($"Unknown --store '{other}'; expected sqlite or azure."),
    };

    private static async Task<ChainRun> RunChainsAsync(BenchArguments arguments, IDurableStore store, int steps, int instances)
    {
        var stamps = new ConcurrentQueue<(string Instance, long Timestamp)>();
        var registry = new DurableTaskRegistry()
            .AddActivity<int, int>("Noop", (ctx, x) =>
            {
                stamps.Enqueue((ctx.InstanceId, Stopwatch.GetTimestamp()));
                return Task.FromResult(x + 1);
            })
            .AddOrchestrator<int, int>("Chain", async (ctx, n) =>
            {
                var value = 0;
                for (var i = 0; i < n; i++)
                {
                    value = await ctx.CallActivityAsync<int>("Noop", value);
                }

                return value;
            });
        var notifier = new DurableWorkNotifier();
        using var services = new ServiceCollection().BuildServiceProvider();
        using var worker = new DurableWorker(store, registry, services, notifier, Options.Create(new DurableWorkerOptions { MaxPollInterval = TimeSpan.FromMilliseconds(arguments.GetInt("max-poll-ms", 500)) }), TimeProvider.System, NullLogger<DurableWorker>.Instance);
        var client = new DurableTaskClient(store, TimeProvider.System, notifier);
        await worker.StartAsync(CancellationToken.None);
        var started = Stopwatch.GetTimestamp();
        var ids = new List<string>();
        for (var i = 0; i < instances; i++)
        {
            ids.Add(await client.ScheduleNewOrchestrationInstanceAsync("Chain", steps));
        }

        foreach (var id in ids)
        {
            var done = await client.WaitForInstanceCompletionAsync(id);
            if (done.ReadOutputAs<int>() != steps)
            {
                throw new InvalidOperationException($"Chain {id} ended {done.RuntimeStatus} with {done.SerializedOutput}.");
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        await worker.StopAsync(CancellationToken.None);
        var ordered = stamps.Select(s => s.Timestamp).Order().ToList();
        var latencies = stamps.GroupBy(s => s.Instance)
            .SelectMany(g => g.Select(s => s.Timestamp).Order().Pairwise().Select(p => Stopwatch.GetElapsedTime(p.Item1, p.Item2).TotalMilliseconds))
            .ToList();
        return new ChainRun(ordered, latencies, elapsed);
    }

    private static IEnumerable<(long, long)> Pairwise(this IEnumerable<long> values)
    {
        long? previous = null;
        foreach (var value in values)
        {
            if (previous is { } p)
            {
                yield return (p, value);
            }

            previous = value;
        }
    }

    private sealed record ChainRun(IReadOnlyList<long> StepTimestamps, IReadOnlyList<double> ChainLatenciesMs, TimeSpan Elapsed);
}
