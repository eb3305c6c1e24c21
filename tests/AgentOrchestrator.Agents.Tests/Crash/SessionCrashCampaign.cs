using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using AgentOrchestrator.DurableTask.Sqlite;
using AgentOrchestrator.SampleServices.Tests.Infrastructure;
using AgentOrchestrator.Testing;

namespace AgentOrchestrator.Agents.Tests.Crash;

/// <summary>
/// A crash campaign at the session level, on the SQLite store. Two worker slots each run one agent worker process at a
/// time on the same file; each worker dies with SIGKILL by its <see cref="CampaignPlan"/> (at a random moment, or at a
/// chosen point of a tool call, a rollback or a model call) and the slot starts the next one, until the campaign's kills
/// are spent. Meanwhile the test keeps <see cref="InFlight"/> order sessions running (a quarter with a declined card).
/// Then two workers that are not killed finish what is left, and <see cref="OrderAudit"/> counts the outcome in the CRM
/// and billing data and the sessions' logs.
/// </summary>
/// <param name="samples">The sample services the sessions act on.</param>
/// <param name="client">Starts and reads the sessions.</param>
/// <param name="store">The same SQLite service as the workers', for the tasks it set aside as poison.</param>
/// <param name="folder">Where the store, the event log and the workers' ledgers live.</param>
/// <param name="kills">How many workers to kill.</param>
/// <param name="seed">Seeds the kill plans.</param>
/// <param name="maxDeliveries">The workers' <c>MaxDeliveryCount</c>; the service's default (10) when null.</param>
internal sealed partial class SessionCrashCampaign(
    SampleServicesHost samples, AgentSessionClient client, SqliteOrchestrationService store, string folder, int kills, int seed, int? maxDeliveries)
{
    private const string WorkerName = "AgentOrchestrator.Agents.CrashWorker";
    private const int Slots = 2;
    private const int InFlight = 8;

    /// <summary>A worker whose planned moment has not come this long after it was ready is killed by the test instead.</summary>
    private static readonly TimeSpan PlanDeadline = TimeSpan.FromSeconds(10);

    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();
    private readonly List<CampaignKill> _kills = [];
    private readonly List<OrderSession> _orders = [];
    private int _killsTaken;

    /// <summary>The orchestration service's file (the session event log is beside it).</summary>
    public string Database => Path.Combine(folder, "sessions.db");

    /// <summary>Runs the campaign, lets two unkilled workers finish, and audits the result.</summary>
    public async Task<CampaignResult> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        using var stopFeeding = new CancellationTokenSource();
        var feeder = FeedAsync(stopFeeding.Token);
        await Task.WhenAll(Enumerable.Range(1, Slots).Select(RunSlotAsync));
        await stopFeeding.CancelAsync();
        await feeder;
        var killing = clock.Elapsed;

        var finals = new List<WorkerProcess>();
        try
        {
            foreach (var slot in Enumerable.Range(1, Slots))
            {
                finals.Add(await WorkerProcess.StartAsync(WorkerName, Arguments($"final-{slot}"), environment: null));
            }

            var unfinished = await OrderAudit.WaitForAllAsync(client, _orders, TimeSpan.FromSeconds(120));
            var recovery = clock.Elapsed - killing;
            var report = await OrderAudit.RunAsync(samples, client, _orders);
            var poisoned = (await store.GetPoisonMessagesAsync(limit: 1000))
                .Select(p => $"{p.Name} {KeyPattern().Match(p.Message).Value} ({p.Reason})").ToList();
            return new CampaignResult(seed, maxDeliveries, [.. _kills.OrderBy(k => k.Number)], [.. _orders], unfinished, report, killing, recovery, Attempts(), poisoned);
        }
        finally
        {
            foreach (var worker in finals)
            {
                await worker.DisposeAsync();
            }
        }
    }

    private async Task RunSlotAsync(int slot)
    {
        for (var life = 1; ; life++)
        {
            var number = Interlocked.Increment(ref _killsTaken);
            if (number > kills)
            {
                return;
            }

            CampaignPlan plan;
            lock (_gate)
            {
                plan = CampaignPlan.Draw(_random);
            }

            var name = $"s{slot}-{life}";
            await using var worker = WorkerProcess.Start(WorkerName, [.. Arguments(name), .. plan.Arguments], environment: null);
            var landed = await KillAsync(worker, plan);
            var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
            lock (_gate)
            {
                _kills.Add(new CampaignKill(number, name, plan, landed, exitCode));
            }
        }
    }

    /// <summary>Lets the worker die by its plan (or kills it at the planned delay) and says where the kill landed.</summary>
    private static async Task<string> KillAsync(WorkerProcess worker, CampaignPlan plan)
    {
        try
        {
            await worker.Ready.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (InvalidOperationException)
        {
            // It died before it said it was ready: by its own plan (its last words say so) or not (the test will see).
        }

        if (plan.External)
        {
            await Task.Delay(plan.DelayMs);
            var died = worker.HasExited;
            await worker.KillAsync();
            return died ? $"exited by itself before the external kill: {worker.Errors}" : plan.ToString();
        }

        using var deadline = new CancellationTokenSource(PlanDeadline);
        if (await worker.WaitForExitAsync(deadline.Token) is null)
        {
            await worker.KillAsync();
            return $"external: the planned moment did not come within {PlanDeadline.TotalSeconds:0} s";
        }

        return worker.Output.LastOrDefault(l => l.StartsWith("killing ", StringComparison.Ordinal))
            ?? $"exited without saying where: {worker.Errors}";
    }

    /// <summary>Keeps <see cref="InFlight"/> order sessions running until the kills are spent.</summary>
    private async Task FeedAsync(CancellationToken stop)
    {
        var open = new List<OrderSession>();
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            do
            {
                var finished = new List<OrderSession>();
                foreach (var order in open)
                {
                    if (await OrderAudit.IsFinishedAsync(client, order.SessionId))
                    {
                        finished.Add(order);
                    }
                }

                open.RemoveAll(finished.Contains);
                while (open.Count < InFlight)
                {
                    var n = _orders.Count + 1;
                    var (email, card) = ($"campaign-{n}@example.com", n % 4 == 0 ? SampleScripts.DeclinedCard : SampleScripts.GoodCard);
                    var start = await client.StartSessionAsync("client-a", SampleScripts.Order(email, card), cancellationToken: CancellationToken.None);
                    var order = new OrderSession(start.Status.SessionId, email, card);
                    _orders.Add(order);
                    open.Add(order);
                }
            }
            while (await tick.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private string[] Arguments(string name)
        => ["--db", Database, "--samples", samples.BaseAddress.ToString(), "--name", name, "--ledger", Path.Combine(folder, $"{name}.ledger"),
            .. maxDeliveries is { } max ? new[] { "--max-deliveries", max.ToString(CultureInfo.InvariantCulture) } : []];

    /// <summary>A tool call's idempotency key in a task's message, or the model step's session id.</summary>
    [GeneratedRegex(@"s-[0-9a-f]{32}(:\d+:c\d+(:compensate)?)?")]
    private static partial Regex KeyPattern();

    /// <summary>Every tool attempt the workers' ledgers recorded, by idempotency key.</summary>
    private Dictionary<string, int> Attempts()
        => Directory.GetFiles(folder, "*.ledger")
            .SelectMany(File.ReadAllLines)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length >= 5 && parts[2] == "started")
            .GroupBy(parts => parts[4], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
