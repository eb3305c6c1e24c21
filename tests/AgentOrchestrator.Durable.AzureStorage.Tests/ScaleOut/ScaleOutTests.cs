using System.Diagnostics;
using System.Text.Json;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.ScaleOutWorker;
using Xunit.Abstractions;

namespace AgentOrchestrator.Durable.AzureStorage.Tests.ScaleOut;

/// <summary>
/// Three worker processes share one task hub on Azurite. The work spreads over all three; one is killed with
/// SIGKILL part-way; the other two take its partitions over within two lease periods and finish every
/// orchestration, each exactly once, without running a step twice except one in flight at the kill.
/// </summary>
[Trait("Category", "ScaleOut")]
public sealed class ScaleOutTests(ITestOutputHelper output) : IDisposable
{
    private const int Instances = 200;
    private const int Steps = 5;
    private const int Partitions = 6;
    private static readonly TimeSpan LeasePeriod = TimeSpan.FromSeconds(15);
    private readonly string _folder = Directory.CreateTempSubdirectory("agentorch-scaleout-").FullName;

    [Fact]
    public async Task ThreeWorkers_OneKilledPartWay_AllOrchestrationsCompleteOnceAndPartitionsAreTakenOver()
    {
        var hub = Azurite.NewHubName();
        await File.WriteAllTextAsync(Path.Combine(_folder, "host.json"), JsonSerializer.Serialize(new
        {
            DurableTask = new { HubName = hub, PartitionCount = Partitions, LeaseDurationSeconds = (int)LeasePeriod.TotalSeconds },
        }));
        var names = new[] { "w1", "w2", "w3" };
        var workers = new List<WorkerProcess>();
        await using var clientStore = new AzureStorageDurableStore(Azurite.Options(hub, Partitions));
        await clientStore.InitializeAsync();
        var client = new DurableTaskClient(clientStore, TimeProvider.System);
        try
        {
            var started = await Task.WhenAll(names.Select(name => WorkerProcess.StartAsync(
                name, Azurite.ConnectionString, ["--config", _folder, "--ledger", LedgerPath(name), "--step-ms", "20"])));
            workers.AddRange(started);
            await WaitUntilAsync(() => workers.All(w => w.Partitions.Count > 0) && workers.Sum(w => w.Partitions.Count) == Partitions, TimeSpan.FromSeconds(60), "every worker owns partitions");

            var ids = Enumerable.Range(0, Instances).Select(i => $"order-{i:D3}").ToList();
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) =>
                await client.ScheduleNewOrchestrationInstanceAsync("FiveSteps", 0, new StartOrchestrationOptions { InstanceId = id }, ct));

            // Kill w2 once about a third of the steps have run.
            await WaitUntilAsync(() => Finished().Count >= Instances * Steps / 3, TimeSpan.FromSeconds(90), "a third of the steps finished");
            var victim = workers[1];
            var victimPartitions = victim.Partitions.ToArray();
            var killedAt = Stopwatch.GetTimestamp();
            await victim.KillAsync();
            var finishedByVictim = Ledger.Read(LedgerPath(victim.Name)).Count(e => e.What == "finished");

            var survivors = workers.Where(w => w != victim).ToList();
            await WaitUntilAsync(() => victimPartitions.All(p => survivors.Any(s => s.Partitions.Contains(p))), 2 * LeasePeriod + TimeSpan.FromSeconds(10), "the survivors own the killed worker's partitions");
            var takeover = Stopwatch.GetElapsedTime(killedAt);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            foreach (var id in ids)
            {
                var done = await client.WaitForInstanceCompletionAsync(id, timeout.Token);
                Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
                Assert.Equal(Steps, done.ReadOutputAs<int>());
                var history = await client.GetHistoryAsync(id);
                Assert.Single(history.OfType<ExecutionCompleted>());
                Assert.Equal(Steps, history.OfType<TaskCompleted>().Count());
            }

            var byWorker = names.ToDictionary(n => n, n => Ledger.Read(LedgerPath(n)).Count(e => e.What == "finished"));
            output.WriteLine($"finished steps per worker: {string.Join(", ", byWorker.Select(p => $"{p.Key}={p.Value}"))}; w2 finished {finishedByVictim} before the kill; "
                + $"its partitions [{string.Join(',', victimPartitions)}] were taken over after {takeover.TotalSeconds:F1} s");

            Assert.All(names, n => Assert.True(byWorker[n] >= Instances * Steps / 20, $"worker {n} finished only {byWorker[n]} steps; the work did not spread"));
            Assert.True(takeover <= 2 * LeasePeriod, $"the killed worker's partitions were taken over after {takeover.TotalSeconds:F1} s, more than two lease periods");
            foreach (var step in Finished().GroupBy(e => (e.InstanceId, e.Step)))
            {
                var bySurvivors = step.Count(e => e.Worker != victim.Name);
                Assert.True(bySurvivors <= 1, $"step {step.Key} ran {bySurvivors} times on live workers");
                Assert.True(step.Count() <= 2, $"step {step.Key} ran {step.Count()} times");
            }

            Assert.Equal(Instances * Steps, Finished().Select(e => (e.InstanceId, e.Step)).Distinct().Count());
            Assert.All(survivors, s => Assert.False(s.HasExited, $"worker {s.Name} died: {string.Join('\n', s.Errors)}"));
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string LedgerPath(string worker) => Path.Combine(_folder, $"ledger-{worker}.txt");

    private List<(string Worker, string InstanceId, int Step)> Finished()
        => [.. new[] { "w1", "w2", "w3" }.SelectMany(w => Ledger.Read(LedgerPath(w)).Where(e => e.What == "finished").Select(e => (w, e.InstanceId, e.Step)))];

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting until {what}.");
            }

            await tick.WaitForNextTickAsync();
        }
    }
}
