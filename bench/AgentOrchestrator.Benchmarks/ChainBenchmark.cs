using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using AgentOrchestrator.DurableTask;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Benchmarks;

/// <summary>
/// Runs sequential chains of no-op activities, written against the Durable Task SDK and hosted on DTFx in process as the
/// service hosts its sessions, and reports the cost per step next to one bare write of the same backend in the same run.
/// </summary>
public static class ChainBenchmark
{
    private static readonly TimeSpan MinWarmup = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(40);

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        await using var target = CreateTarget(arguments.Get("store", "dtfx-sqlite"), arguments);
        var result = await MeasureAsync(target, arguments.GetInt("steps", 200), arguments.GetInt("instances", 20));
        result.Print();
        return 0;
    }

    /// <summary>SQLite and Azure Storage (Azurite) with the same chains in one run: how many times faster a step is on SQLite.</summary>
    public static async Task<int> CompareAsync(BenchArguments arguments)
    {
        var steps = arguments.GetInt("steps", 50);
        var instances = arguments.GetInt("instances", 20);
        ChainResult sqlite, azure;
        await using (var target = CreateTarget("dtfx-sqlite", arguments))
        {
            sqlite = await MeasureAsync(target, steps, instances);
        }

        await using (var target = CreateTarget("dtfx-azure", arguments))
        {
            azure = await MeasureAsync(target, steps, instances);
        }

        sqlite.Print();
        azure.Print();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"compare steps={steps} instances={instances} sqlite_per_step_ms_p50={sqlite.PerStepP50:F3} azure_per_step_ms_p50={azure.PerStepP50:F3} sqlite_vs_azure={azure.PerStepP50 / sqlite.PerStepP50:F1}"));
        return 0;
    }

    private static IChainTarget CreateTarget(string store, BenchArguments arguments) => store switch
    {
        "dtfx-sqlite" => new SqliteChainTarget(),
        "dtfx-azure" => new AzureChainTarget(
            arguments.Get("connection", Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING") ?? "UseDevelopmentStorage=true"),
            arguments.GetInt("partitions", 4)),
        var other => throw new ArgumentException($"Unknown --store '{other}'; expected dtfx-sqlite or dtfx-azure."),
    };

    private static async Task<ChainResult> MeasureAsync(IChainTarget target, int steps, int instances)
    {
        // Warm-up: chains of the measured shape on a throw-away hub for at least MinWarmup and until the JIT is quiet
        // (under 5 % of a run's processor time), at most MaxWarmup. The first seconds recompile the hot methods at higher
        // tiers on a background thread that competes for the two cores (and a method is promoted only after its calls
        // and a delay, so one short quiet run proves nothing). A SQLite run lasts well under a second, so with a short
        // warm-up that work landed in its measured window, and not in the Azure run's, which came second and found the
        // shared code warm. The warm-up hub is then deleted and the measured chains run on a fresh one, so that the
        // backend holds only their data: Azurite, in memory, slows down as it fills (a measured run after five warm-up
        // runs of 1000 steps took minutes, with Azurite at a full core).
        var warmService = target.CreateService();
        await using (var warm = await ChainHost.StartAsync(warmService))
        {
            var warmupStarted = Stopwatch.GetTimestamp();
            for (var warmups = 1; ; warmups++)
            {
                var warmup = await warm.RunAsync(steps, instances);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"store={target.Name} warmup_run={warmups} jit_ms={warmup.JitTime.TotalMilliseconds:F0} cpu_ms={warmup.Cpu.TotalMilliseconds:F0} elapsed_s={warmup.Elapsed.TotalSeconds:F2}"));
                var warmedFor = Stopwatch.GetElapsedTime(warmupStarted);
                if ((warmup.JitTime < warmup.Cpu * 0.05 && warmedFor >= MinWarmup) || warmedFor >= MaxWarmup)
                {
                    break;
                }
            }
        }

        await target.DiscardAsync(warmService);

        await using var host = await ChainHost.StartAsync(target.CreateService());
        var before = await target.BaselineCommitMsP50Async();
        var run = await host.RunAsync(steps, instances);
        var after = await target.BaselineCommitMsP50Async();
        var commit = (before + after) / 2;

        // A step's cost: the time for `window` consecutive step completions (of any chain), divided by the window.
        var window = Math.Max(instances, 20);
        var perStep = new List<double>();
        for (var i = 0; i + window < run.StepTimestamps.Count; i += window)
        {
            perStep.Add(Stopwatch.GetElapsedTime(run.StepTimestamps[i], run.StepTimestamps[i + window]).TotalMilliseconds / window);
        }

        return new ChainResult(target.Name, steps, instances, run, Percentiles.Of(perStep, 50), Percentiles.Of(perStep, 99), before, after, commit, target.ExtraFigures);
    }

    /// <summary>The chain orchestrator and its no-op activity hosted on one service, as the service hosts its sessions.</summary>
    private sealed class ChainHost : IAsyncDisposable
    {
        private readonly IHost _host;
        private ConcurrentQueue<(string Instance, long Timestamp)> _stamps = new();

        private ChainHost(IHost host) => _host = host;

        public static async Task<ChainHost> StartAsync(IOrchestrationService service)
        {
            ChainHost? chainHost = null;
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Logging.ClearProviders();
            builder.Services.AddDurableTaskHost(_ => service, r => r
                .AddActivityFunc<int, int>("Noop", (ctx, x) =>
                {
                    chainHost!._stamps.Enqueue((ctx.InstanceId, Stopwatch.GetTimestamp()));
                    return x + 1;
                })
                .AddOrchestratorFunc<int, int>("Chain", async (ctx, n) =>
                {
                    var value = 0;
                    for (var i = 0; i < n; i++)
                    {
                        value = await ctx.CallActivityAsync<int>("Noop", value);
                    }

                    return value;
                }));
            chainHost = new ChainHost(builder.Build());
            await chainHost._host.StartAsync();
            return chainHost;
        }

        /// <summary>Runs <paramref name="instances"/> new chains of <paramref name="steps"/> steps to their end.</summary>
        public async Task<ChainRun> RunAsync(int steps, int instances)
        {
            var stamps = _stamps = new ConcurrentQueue<(string Instance, long Timestamp)>();
            var client = _host.Services.GetRequiredService<DurableTaskClient>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
            var started = Stopwatch.GetTimestamp();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var jitBefore = JitInfo.GetCompilationTime();
            var ids = new List<string>();
            for (var i = 0; i < instances; i++)
            {
                ids.Add(await client.ScheduleNewOrchestrationInstanceAsync("Chain", steps, timeout.Token));
            }

            foreach (var id in ids)
            {
                var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
                if (done.ReadOutputAs<int>() != steps)
                {
                    throw new InvalidOperationException($"Chain {id} ended {done.RuntimeStatus} with {done.SerializedOutput}.");
                }
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var jit = JitInfo.GetCompilationTime() - jitBefore;
            var ordered = stamps.Select(s => s.Timestamp).Order().ToList();
            var latencies = stamps.GroupBy(s => s.Instance)
                .SelectMany(g => g.Select(s => s.Timestamp).Order().Zip(g.Select(s => s.Timestamp).Order().Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b).TotalMilliseconds))
                .ToList();
            return new ChainRun(ordered, latencies, elapsed, cpu, jit);
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }

    private sealed record ChainRun(IReadOnlyList<long> StepTimestamps, IReadOnlyList<double> ChainLatenciesMs, TimeSpan Elapsed, TimeSpan Cpu, TimeSpan JitTime);

    private sealed record ChainResult(
        string Store, int Steps, int Instances, ChainRun Run, double PerStepP50, double PerStepP99, double CommitBefore, double CommitAfter, double Commit, string Extra)
    {
        public void Print()
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"chains={Instances} steps_total={Run.StepTimestamps.Count} elapsed_s={Run.Elapsed.TotalSeconds:F2} steps_per_s={Run.StepTimestamps.Count / Run.Elapsed.TotalSeconds:F0} "
                + $"chain_step_latency_ms_p50={Percentiles.Of(Run.ChainLatenciesMs, 50):F3} chain_step_latency_ms_p99={Percentiles.Of(Run.ChainLatenciesMs, 99):F3} "
                + $"cpu_ms_per_step={Run.Cpu.TotalMilliseconds / Run.StepTimestamps.Count:F3} jit_ms_in_run={Run.JitTime.TotalMilliseconds:F0} "
                + $"commit_ms_before={CommitBefore:F3} commit_ms_after={CommitAfter:F3} {Extra}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store={Store} steps={Steps} per_step_ms_p50={PerStepP50:F3} per_step_ms_p99={PerStepP99:F3} commit_ms_p50={Commit:F3} ratio_to_commit={PerStepP50 / Commit:F2}"));
        }
    }
}
