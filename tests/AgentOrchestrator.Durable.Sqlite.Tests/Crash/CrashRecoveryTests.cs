using AgentOrchestrator.Durable.CrashWorker;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Testing;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace AgentOrchestrator.Durable.Sqlite.Tests.Crash;

/// <summary>
/// A worker process is killed with SIGKILL in the middle of its work, then started again. Every
/// orchestration must still complete with the right output; every activity whose result was durable
/// before the kill must have run exactly once; an activity in flight at the kill at most twice.
/// </summary>
[Trait("Category", "Crash")]
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private const string WorkerName = "AgentOrchestrator.Durable.CrashWorker";

    private const int Instances = 8;
    private const int Steps = 12;
    private readonly SqliteTestDatabase _database = new();

    [Fact]
    public async Task Worker_KilledMidActivity_RestartCompletesEveryChainAndRepeatsNoCompletedStep()
    {
        var (client, ids) = await ScheduleChainsAsync(delayMs: 40);
        await using (var worker = await StartWorkerAsync())
        {
            await WaitUntilAsync(() => Ledger().Count("finished").Count >= Instances * Steps / 3);
            await worker.KillAsync();
        }

        await AssertRecoveryAsync(client, ids);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(70)]
    [InlineData(100)]
    public async Task Worker_KilledInsideCommit_RestartCompletesEveryChainAndRepeatsNoCompletedStep(int killAtCommit)
    {
        var (client, ids) = await ScheduleChainsAsync(delayMs: 5);
        // Not waiting for "ready": the worker may reach the fatal commit before it prints it.
        await using (var worker = WorkerProcess.Start(WorkerName, [.. WorkerArguments, "--kill-at-commit", killAtCommit.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            Assert.Equal(137, await worker.WaitForExitAsync());
        }

        await AssertRecoveryAsync(client, ids);
    }

    public void Dispose() => _database.Dispose();

    private async Task AssertRecoveryAsync(DurableTaskClient client, IReadOnlyList<string> ids)
    {
        var durableBeforeKill = CompletedStepsInStore();
        var finishedBeforeKill = Ledger().Count("finished");
        var recovery = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan recovered;
        await using (await StartWorkerAsync())
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            foreach (var id in ids)
            {
                var done = await client.WaitForInstanceCompletionAsync(id, timeout.Token);
                Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
                Assert.Equal(ExpectedOutput(), done.ReadOutputAs<int>());
            }

            recovered = recovery.Elapsed;
        }

        var started = Ledger().Count("started");
        var finished = Ledger().Count("finished");
        Assert.Equal(Instances * Steps, finished.Count);
        foreach (var step in durableBeforeKill)
        {
            Assert.True(started[step] == 1, $"step {step} was durable before the kill but started {started[step]} times");
            Assert.True(finished[step] == 1, $"step {step} was durable before the kill but finished {finished[step]} times");
        }

        foreach (var (step, count) in started)
        {
            Assert.True(count <= 2, $"step {step} started {count} times; an in-flight step may run at most twice");
        }

        var repeated = started.Count(pair => pair.Value == 2);
        output.WriteLine($"durable before the kill: {durableBeforeKill.Count} steps; finished before the kill: {finishedBeforeKill.Count}; started twice: {repeated}; "
            + $"restart to all {Instances} chains completed: {recovered.TotalSeconds:F2} s");
        Assert.True(durableBeforeKill.Count > 0, "the kill should land after some steps were durable");
    }

    private async Task<(DurableTaskClient Client, IReadOnlyList<string> Ids)> ScheduleChainsAsync(int delayMs)
    {
        var client = new DurableTaskClient(await _database.CreateStoreAsync(), TimeProvider.System);
        var ids = new List<string>();
        for (var i = 0; i < Instances; i++)
        {
            ids.Add(await client.ScheduleNewOrchestrationInstanceAsync("CrashChain", new ChainInput(Steps, delayMs), new StartOrchestrationOptions { InstanceId = $"chain-{i}" }));
        }

        return (client, ids);
    }

    private Task<WorkerProcess> StartWorkerAsync(params string[] extra)
        => WorkerProcess.StartAsync(WorkerName, [.. WorkerArguments, .. extra]);

    private string[] WorkerArguments => ["--db", _database.DatabasePath, "--ledger", LedgerPath];

    private string LedgerPath => Path.Combine(_database.Folder, "ledger.db");

    private Ledger Ledger() => new(LedgerPath);

    /// <summary>Steps whose result was committed (in history or waiting in the inbox) when the worker died.</summary>
    private HashSet<(string Instance, int Step)> CompletedStepsInStore()
    {
        using var connection = new SqliteConnection($"Data Source={_database.DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT instance_id, event FROM history UNION ALL SELECT instance_id, json_extract(message, '$.event') FROM inbox";
        using var reader = command.ExecuteReader();
        var steps = new HashSet<(string, int)>();
        while (reader.Read())
        {
            if (HistorySerializer.Deserialize(reader.GetString(1)) is TaskCompleted completed)
            {
                steps.Add((reader.GetString(0), completed.TaskScheduledId));
            }
        }

        return steps;
    }

    private static int ExpectedOutput()
    {
        var value = 1;
        for (var step = 0; step < Steps; step++)
        {
            value = value % 1_000_000 * 2 % 1_000_000;
        }

        return value;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }
}
