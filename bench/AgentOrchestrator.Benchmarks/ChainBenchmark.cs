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

    /// <summary>Measured runs repeat until this many steps ran (or <see cref="MaxMeasured"/> passed), so that short chains
    /// give as many windows as long ones: one run of 20 chains of 10 steps lasts about 50 ms and gives 9 windows.</summary>
    private const int MinMeasuredSteps = 4000;
    private static readonly TimeSpan MaxMeasured = TimeSpan.FromSeconds(5);

    /// <summary>The warm-up ends once the JIT was quiet for this long in a row (two SQLite measurements, one Azure one).</summary>
    private static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(1);

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
        // Warm-up: measurements of the measured shape and size, each on a throw-away hub of its own, for at least
        // MinWarmup and until the JIT is quiet (under 5 % of a measurement's processor time, for QuietFor in a row), at
        // most MaxWarmup. The first seconds recompile the hot methods at higher tiers on a background thread that competes for
        // the two cores, and a method is promoted only after its calls and a delay, so a short quiet run proves nothing:
        // with single runs of 50 ms as the unit, the measurement that followed still spent a third of its processor time
        // in the JIT. Each warm-up hub is deleted after its measurement and the measured chains run on a fresh one, so
        // that the backend holds only their data: Azurite, in memory, slows down as it fills (a third warm-up
        // measurement of 2000 steps took 417 s instead of 16, with Azurite at a full core, on a hub of its own too: the
        // slowdown is Azurite's, not the hub's, so the Azure side runs as few steps as it can).
        var warmupStarted = Stopwatch.GetTimestamp();
        var quiet = TimeSpan.Zero;
        for (var warmups = 1; ; warmups++)
        {
            var warmService = target.CreateService();
            ChainRun warmup;
            await using (var warm = await ChainHost.StartAsync(warmService))
            {
                warmup = Combine(await warm.RunMeasurementAsync(steps, instances));
            }

            await target.DiscardAsync(warmService);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store={target.Name} warmup={warmups} jit_ms={warmup.JitTime.TotalMilliseconds:F0} cpu_ms={warmup.Cpu.TotalMilliseconds:F0} elapsed_s={warmup.Elapsed.TotalSeconds:F2}"));
            quiet = warmup.JitTime < warmup.Cpu * 0.05 ? quiet + warmup.Elapsed : TimeSpan.Zero;
            var warmedFor = Stopwatch.GetElapsedTime(warmupStarted);
            if ((quiet >= QuietFor && warmedFor >= MinWarmup) || warmedFor >= MaxWarmup)
            {
                break;
            }
        }

        await using var host = await ChainHost.StartAsync(target.CreateService());
        var before = await target.BaselineCommitMsP50Async();
        var runs = await host.RunMeasurementAsync(steps, instances);
        var after = await target.BaselineCommitMsP50Async();
        var commit = (before + after) / 2;

        // A step's cost: the time for `window` consecutive step completions (of any chain of one run), divided by the window.
        var window = Math.Max(instances, 20);
        var perStep = new List<double>();
        foreach (var run in runs)
        {
            for (var i = 0; i + window < run.StepTimestamps.Count; i += window)
            {
                perStep.Add(Stopwatch.GetElapsedTime(run.StepTimestamps[i], run.StepTimestamps[i + window]).TotalMilliseconds / window);
            }
        }

        return new ChainResult(target.Name, steps, instances, runs.Count, Combine(runs), Percentiles.Of(perStep, 50), Percentiles.Of(perStep, 99), before, after, commit, target.ExtraFigures);
    }

    private static ChainRun Combine(IReadOnlyList<ChainRun> runs) => new(
        [.. runs.SelectMany(r => r.StepTimestamps)],
        [.. runs.SelectMany(r => r.ChainLatenciesMs)],
        TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)),
        TimeSpan.FromTicks(runs.Sum(r => r.Cpu.Ticks)),
        TimeSpan.FromTicks(runs.Sum(r => r.JitTime.Ticks)));

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

        /// <summary>One measurement: runs of new chains until <see cref="MinMeasuredSteps"/> steps ran or <see cref="MaxMeasured"/> passed.</summary>
        public async Task<IReadOnlyList<ChainRun>> RunMeasurementAsync(int steps, int instances)
        {
            var runs = new List<ChainRun>();
            var started = Stopwatch.GetTimestamp();
            do
            {
                runs.Add(await RunAsync(steps, instances));
            }
            while (runs.Sum(r => r.StepTimestamps.Count) < MinMeasuredSteps && Stopwatch.GetElapsedTime(started) < MaxMeasured);

            return runs;
        }

        /// <summary>Runs <paramref name="instances"/> new chains of <paramref name="steps"/> steps to their end, all started at
        /// once (as a chat frontend's requests come).</summary>
        public async Task<ChainRun> RunAsync(int steps, int instances)
        {
            var stamps = _stamps = new ConcurrentQueue<(string Instance, long Timestamp)>();
            var client = _host.Services.GetRequiredService<DurableTaskClient>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
            var started = Stopwatch.GetTimestamp();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var jitBefore = JitInfo.GetCompilationTime();
            var ids = await Task.WhenAll(Enumerable.Range(0, instances).Select(_ => client.ScheduleNewOrchestrationInstanceAsync("Chain", steps, timeout.Token)));

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
        string Store, int Steps, int Instances, int Runs, ChainRun Run, double PerStepP50, double PerStepP99, double CommitBefore, double CommitAfter, double Commit, string Extra)
    {
        public void Print()
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"chains={Instances} runs={Runs} steps_total={Run.StepTimestamps.Count} elapsed_s={Run.Elapsed.TotalSeconds:F2} steps_per_s={Run.StepTimestamps.Count / Run.Elapsed.TotalSeconds:F0} "
                + $"chain_step_latency_ms_p50={Percentiles.Of(Run.ChainLatenciesMs, 50):F3} chain_step_latency_ms_p99={Percentiles.Of(Run.ChainLatenciesMs, 99):F3} "
                + $"cpu_ms_per_step={Run.Cpu.TotalMilliseconds / Run.StepTimestamps.Count:F3} jit_ms_in_run={Run.JitTime.TotalMilliseconds:F0} "
                + $"commit_ms_before={CommitBefore:F3} commit_ms_after={CommitAfter:F3} {Extra}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store={Store} steps={Steps} per_step_ms_p50={PerStepP50:F3} per_step_ms_p99={PerStepP99:F3} commit_ms_p50={Commit:F3} ratio_to_commit={PerStepP50 / Commit:F2}"));
        }
    }
}
