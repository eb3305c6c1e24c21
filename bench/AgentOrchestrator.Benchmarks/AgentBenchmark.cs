using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using AgentOrchestrator.Agents;
using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.DurableTask;
using AgentOrchestrator.DurableTask.Configuration;
using AgentOrchestrator.DurableTask.Sqlite;
using AgentOrchestrator.Tools;
using DurableTask.Core.History;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using JsonConvert = Newtonsoft.Json.JsonConvert;

namespace AgentOrchestrator.Benchmarks;

/// <summary>
/// Sessions of many turns with a zero-latency model and zero-latency in-process tools, so every millisecond is the
/// orchestrator's own: the session orchestration on DTFx over the SQLite service (checkpoints, activity completions,
/// extended sessions) and the session event log's writes. Also measures how many history bytes each turn adds, which
/// must not grow with the conversation.
/// </summary>
public static class AgentBenchmark
{
    private const string Manifest = """
        {
          "service": "bench",
          "tools": [
            {
              "name": "bench_step", "version": "1.0.0", "description": "Does nothing, with a side effect to undo.",
              "parameters": { "type": "object", "properties": { "n": { "type": "integer" } }, "required": ["n"], "additionalProperties": false },
              "binding": { "handler": { "name": "bench.step" } },
              "effects": { "readOnly": false },
              "idempotency": { "key": "{key}" },
              "saga": { "role": "compensatable", "compensation": { "tool": "bench_undo", "arguments": { "id": "$.result.id" } } }
            },
            {
              "name": "bench_undo", "version": "1.0.0", "description": "Undoes a step.",
              "parameters": { "type": "object", "properties": { "id": { "type": "string" } }, "required": ["id"], "additionalProperties": false },
              "binding": { "handler": { "name": "bench.undo" } },
              "effects": { "readOnly": false },
              "idempotency": { "key": "{key}" },
              "saga": { "role": "retriable" }
            }
          ]
        }
        """;

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var sessions = arguments.GetInt("sessions", 50);
        var turns = arguments.GetInt("turns", 20);
        var tools = arguments.GetInt("tools", 3);
        var minWarmups = arguments.GetInt("warmup-runs", 2);
        var maxWarmups = Math.Max(minWarmups, arguments.GetInt("max-warmup-runs", 10));
        if (arguments.Get("store", "sqlite") != "sqlite")
        {
            throw new ArgumentException("The agent benchmark runs on --store sqlite.");
        }

        await using var service = await BenchService.StartAsync(tools);

        // Warm-up: the same workload on the same running service until the JIT is quiet, so that tiered compilation has
        // replaced the first, quick (and then instrumented) code of every hot method with optimized code before the
        // measured run, as in a service that has been up for a while. A run whose JIT time is still above 2 % of its
        // processor time is not steady yet; without this, the measured window held 0.5-1.5 s of the JIT's rework.
        var warmups = 0;
        while (warmups < maxWarmups)
        {
            var warmup = await service.RunSessionsAsync(sessions, turns);
            warmups++;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warmup_run={warmups} jit_ms={warmup.JitTime.TotalMilliseconds:F0} cpu_ms={warmup.Cpu.TotalMilliseconds:F0} elapsed_s={warmup.Elapsed.TotalSeconds:F2}"));
            if (warmups >= minWarmups && warmup.JitTime < warmup.Cpu * 0.02)
            {
                break;
            }
        }

        var baseline = SqliteChainTarget.CommitMsP50(service.DatabaseFile);
        var run = await service.RunSessionsAsync(sessions, turns);
        var commit = (baseline + SqliteChainTarget.CommitMsP50(service.DatabaseFile)) / 2;

        var window = Math.Max(sessions, 20);
        var perCall = new List<double>();
        for (var i = 0; i + window < run.CallTimestamps.Count; i += window)
        {
            perCall.Add(Stopwatch.GetElapsedTime(run.CallTimestamps[i], run.CallTimestamps[i + window]).TotalMilliseconds / window);
        }

        var p50 = Percentiles.Of(perCall, 50);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sessions={sessions} turns={turns} tools_per_turn={tools} tool_calls={run.CallTimestamps.Count} elapsed_s={run.Elapsed.TotalSeconds:F2} "
            + $"tool_calls_per_s={run.CallTimestamps.Count / run.Elapsed.TotalSeconds:F0} cpu_ms_per_tool_call={run.Cpu.TotalMilliseconds / run.CallTimestamps.Count:F3} "
            + $"warmup_runs={warmups} jit_ms_in_run={run.JitTime.TotalMilliseconds:F0} commit_ms_p50={commit:F3} ratio_to_commit={p50 / commit:F2} "
            + $"history_bytes_turn10={run.BytesPerTurn[Math.Min(9, turns - 1)]:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"overhead_ms_per_tool_call_p50={p50:F3} overhead_ms_per_tool_call_p99={Percentiles.Of(perCall, 99):F3} "
            + $"history_bytes_turn1={run.BytesPerTurn[0]:F0} history_bytes_turn{turns}={run.BytesPerTurn[turns - 1]:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"allocated_kb_per_tool_call={run.AllocatedBytes / 1024.0 / run.CallTimestamps.Count:F1} gen0_collections={run.Gen0Collections} gen2_collections={run.Gen2Collections}"));
        return 0;
    }

    /// <summary>
    /// One service (host, SQLite file, workers) for the whole benchmark, as in production: the warm-up runs and the
    /// measured run are batches of new sessions on it. The bare-commit baseline is measured on the same file.
    /// </summary>
    private sealed class BenchService : IAsyncDisposable
    {
        private readonly string _folder;
        private readonly IHost _host;
        private ConcurrentQueue<long> _calls = new();

        private BenchService(string folder, IHost host)
        {
            _folder = folder;
            _host = host;
        }

        public string DatabaseFile => Path.Combine(_folder, "sessions.db");

        public static async Task<BenchService> StartAsync(int tools)
        {
            var folder = Directory.CreateTempSubdirectory("agentorch-agent-bench-").FullName;
            File.WriteAllText(Path.Combine(folder, "bench.json"), Manifest);
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = folder });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AgentTools:ManifestsPath"] = folder,
                ["AgentTools:WatchManifests"] = "false",
                ["Agents:Session:TurnsPerGeneration"] = "1000", // one execution, so each turn's history bytes can be read off it
            });
            BenchService? service = null;
            builder.Services.AddAgentTools(builder.Configuration)
                .AddHandler("bench.step", isReadOnly: false, (context, _) =>
                {
                    service!._calls.Enqueue(Stopwatch.GetTimestamp());
                    return Task.FromResult(JsonSerializer.SerializeToElement(new { id = context.IdempotencyKey }));
                })
                .AddHandler("bench.undo", isReadOnly: false, (_, _) => Task.FromResult(JsonSerializer.SerializeToElement(new { ok = true })));
            var file = Path.Combine(folder, "sessions.db");
            builder.Logging.ClearProviders();
            if (Environment.GetEnvironmentVariable("AO_BENCH_LOG") is { } level)
            {
                builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(Enum.Parse<LogLevel>(level));
            }

            // The settings the host gives the service (host.json defaults), on the benchmark's file.
            var settings = OrchestrationServiceFactory.SqliteSettings(new DurableTaskHostOptions { StorageProvider = { DatabaseFile = file } });
            builder.Services.AddDurableTaskHost(sp => new SqliteOrchestrationService(settings, sp.GetService<ILoggerFactory>()), r => r.AddAgentSessionTasks());
            builder.Services.AddSingleton<ISessionEventLog>(new SqliteSessionEventLog(Path.Combine(folder, "session-events.db")));
            builder.Services.AddAgentSessions(builder.Configuration);
            builder.Services.AddSingleton<IChatClient>(new BenchModel(tools));
            service = new BenchService(folder, builder.Build());
            await service._host.StartAsync();
            return service;
        }

        /// <summary>Runs a batch of new sessions to the end of their last turn.</summary>
        public async Task<AgentRun> RunSessionsAsync(int sessions, int turns)
        {
            var client = _host.Services.GetRequiredService<AgentSessionClient>();
            var durable = _host.Services.GetRequiredService<DurableTaskClient>();
            var notifier = _host.Services.GetRequiredService<SessionEventNotifier>();
            _calls = new ConcurrentQueue<long>();

            var started = Stopwatch.GetTimestamp();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var jitBefore = JitInfo.GetCompilationTime();
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            var gen0Before = GC.CollectionCount(0);
            var gen2Before = GC.CollectionCount(2);
            var ids = await Task.WhenAll(Enumerable.Range(0, sessions).Select(_ => DriveAsync(client, notifier, turns)));
            var elapsed = Stopwatch.GetElapsedTime(started);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var jit = JitInfo.GetCompilationTime() - jitBefore;
            var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
            var collections = (Gen0: GC.CollectionCount(0) - gen0Before, Gen2: GC.CollectionCount(2) - gen2Before);
            var calls = _calls.Order().ToList();

            var perTurn = new double[turns];
            foreach (var id in ids)
            {
                var bytes = BytesPerTurn([.. await durable.GetOrchestrationHistoryAsync(id)], turns);
                for (var t = 0; t < turns; t++)
                {
                    perTurn[t] += bytes[t] / (double)ids.Length;
                }
            }

            return new AgentRun(calls, perTurn, elapsed, cpu, jit, allocated, collections.Gen0, collections.Gen2);
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static async Task<string> DriveAsync(AgentSessionClient client, SessionEventNotifier notifier, int turns)
    {
        var session = await client.StartSessionAsync("bench", "turn 1");
        long seen = 0;
        for (var turn = 1; turn <= turns; turn++)
        {
            if (turn > 1)
            {
                await client.SendMessageAsync(session.SessionId, $"turn {turn}");
            }

            seen = await WaitForTurnAsync(client, notifier, session.SessionId, turn, seen);
        }

        return session.SessionId;
    }

    /// <summary>
    /// Waits for the turn's <c>turn.completed</c> the way an in-process SSE reader does: woken by the event log's
    /// notifier, reading only after an append (a timed poll here would load the store the benchmark measures).
    /// </summary>
    private static async Task<long> WaitForTurnAsync(AgentSessionClient client, SessionEventNotifier notifier, string sessionId, int turn, long after)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (true)
        {
            var appended = notifier.NextAppendAsync(sessionId);
            foreach (var e in await client.ReadEventsAsync(sessionId, after, 1000, deadline.Token))
            {
                after = e.Sequence;
                if (e.Kind == SessionEventKinds.TurnCompleted && e.Data.GetProperty("turn").GetInt32() == turn)
                {
                    return after;
                }
            }

            await appended.WaitAsync(deadline.Token);
        }
    }

    /// <summary>
    /// Splits one execution's history at each user message after the first and sums each part's size as DTFx's own JSON
    /// of the events (what a provider stores, give or take its framing).
    /// </summary>
    private static int[] BytesPerTurn(IReadOnlyList<HistoryEvent> history, int turns)
    {
        var bytes = new int[turns];
        var turn = 0;
        foreach (var e in history)
        {
            if (e is EventRaisedEvent { Name: SessionEventNames.UserMessage })
            {
                turn = Math.Min(turn + 1, turns - 1);
            }

            bytes[turn] += JsonConvert.SerializeObject(e).Length;
        }

        return bytes;
    }

    /// <summary>
    /// One batch of sessions; <paramref name="Cpu"/> is the process's processor time (all threads) while the sessions ran,
    /// <paramref name="JitTime"/> the part of it the JIT spent compiling.
    /// </summary>
    private sealed record AgentRun(IReadOnlyList<long> CallTimestamps, double[] BytesPerTurn, TimeSpan Elapsed, TimeSpan Cpu, TimeSpan JitTime, long AllocatedBytes, int Gen0Collections, int Gen2Collections);
}
