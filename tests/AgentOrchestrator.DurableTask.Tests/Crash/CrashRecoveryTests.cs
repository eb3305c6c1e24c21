using System.Diagnostics;
using AgentOrchestrator.DurableTask.CrashWorker;
using AgentOrchestrator.Testing;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace AgentOrchestrator.DurableTask.Tests.Crash;

/// <summary>
/// A real worker process (<c>AgentOrchestrator.DurableTask.CrashWorker</c>: SDK tasks through <c>AddDurableTaskHost</c>) runs
/// <see cref="Instances"/> chains of <see cref="Steps"/> <c>Step</c> activities and dies by SIGKILL; a fresh worker process on
/// the same store finishes the work. What a user must see: every chain completes with the right output; a step whose result
/// was durable before the kill ran exactly once; a step in flight at the kill ran at most twice. Each store says what it
/// counts as durable and what bounds its recovery.
/// </summary>
public abstract class CrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Chains run at once.</summary>
    protected const int Instances = 8;

    /// <summary>Steps per chain.</summary>
    protected const int Steps = 12;

    private const string WorkerName = "AgentOrchestrator.DurableTask.CrashWorker";
    private ServiceProvider _clientServices = null!;

    /// <summary>This test's temp folder: the ledger, and the SQLite file.</summary>
    protected string Folder { get; } = Directory.CreateTempSubdirectory("ao-crash-").FullName;

    /// <summary>The ledger the workers' steps record their runs in.</summary>
    protected Ledger Ledger { get; private set; } = null!;

    /// <summary>The test's own client on the store (no worker in this process).</summary>
    protected DurableTaskClient Client { get; private set; } = null!;

    /// <summary>The worker's command line on this store.</summary>
    protected abstract WorkerOptions Worker { get; }

    /// <summary>The longest a fresh worker may take, from its start until every chain completed.</summary>
    protected abstract TimeSpan RecoveryBound { get; }

    /// <summary>What bounds recovery on this store, for the failure message.</summary>
    protected abstract string RecoveryBoundReason { get; }

    /// <summary>The ledger file, for the worker's command line.</summary>
    protected string LedgerPath => Path.Combine(Folder, "ledger.db");

    /// <inheritdoc />
    public Task InitializeAsync()
    {
        Ledger = new Ledger(LedgerPath);
        var services = new ServiceCollection().AddLogging();
        services.AddDurableTaskClientFor(sp => CreateClientService(sp.GetRequiredService<ILoggerFactory>()));
        _clientServices = services.BuildServiceProvider();
        Client = _clientServices.GetRequiredService<DurableTaskClient>();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await CleanUpStoreAsync();
        await _clientServices.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>The store as the test's client uses it.</summary>
    protected abstract IOrchestrationService CreateClientService(ILoggerFactory loggerFactory);

    /// <summary>The steps whose result was durable in the store when the worker died (read after the kill, before the restart).</summary>
    protected abstract Task<HashSet<(string Instance, int Step)>> DurableStepsAsync(IReadOnlyList<string> instanceIds);

    /// <summary>Removes what the test left in the store beyond its temp folder.</summary>
    protected virtual Task CleanUpStoreAsync() => Task.CompletedTask;

    /// <summary>Steps take 40 ms; the test kills the worker once a third of them finished, with several mid-run.</summary>
    protected async Task KillMidActivityAndRecoverAsync()
    {
        var ids = await ScheduleChainsAsync(delayMs: 40);
        await using (var worker = await WorkerProcess.StartAsync(WorkerName, Worker.ToArguments()))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (Ledger.Count(Ledger.Finished).Count < Instances * Steps / 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, timeout.Token);
            }

            await worker.KillAsync();
        }

        await AssertRecoveryAsync(ids, "killed mid-activity");
    }

    /// <summary>Steps take 5 ms; the worker kills itself with SIGKILL inside its first commit that writes rows once
    /// <paramref name="steps"/> steps finished.</summary>
    protected async Task KillInsideCommitAndRecoverAsync(int steps)
    {
        var ids = await ScheduleChainsAsync(delayMs: 5);
        // Not waiting for "ready": the worker may reach the fatal commit before it says so.
        await using (var worker = WorkerProcess.Start(WorkerName, (Worker with { KillAfterSteps = steps }).ToArguments()))
        {
            var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(exitCode == 137, $"The worker should have killed itself (SIGKILL, 137) in a commit after {steps} steps; it exited with {exitCode}. {worker.Errors}");
        }

        await AssertRecoveryAsync(ids, $"killed inside a commit after {steps} steps");
    }

    private async Task<IReadOnlyList<string>> ScheduleChainsAsync(int delayMs)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ids = new List<string>();
        for (var i = 0; i < Instances; i++)
        {
            ids.Add(await Client.ScheduleNewOrchestrationInstanceAsync(
                CrashTasks.Chain, new ChainInput(Steps, delayMs), new StartOrchestrationOptions($"chain-{i}"), timeout.Token));
        }

        return ids;
    }

    private async Task AssertRecoveryAsync(IReadOnlyList<string> ids, string scenario)
    {
        var durable = await DurableStepsAsync(ids);
        var finishedBeforeKill = Ledger.Count(Ledger.Finished).Count;
        var clock = Stopwatch.StartNew();
        TimeSpan recovered, ready;
        await using (var worker = await WorkerProcess.StartAsync(WorkerName, Worker.ToArguments()))
        {
            ready = clock.Elapsed;
            using var timeout = new CancellationTokenSource(RecoveryBound);
            OrchestrationMetadata[] states;
            try
            {
                states = await Task.WhenAll(ids.Select(id => Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token)));
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The chains did not all complete within {RecoveryBound.TotalSeconds} s of the restart ({RecoveryBoundReason}). Worker errors: {worker.Errors}");
            }

            recovered = clock.Elapsed;
            Assert.All(states, s => Assert.Equal(OrchestrationRuntimeStatus.Completed, s.RuntimeStatus));
            Assert.All(states, s => Assert.Equal(CrashTasks.ExpectedOutput(Steps), s.ReadOutputAs<int>()));
        }

        var started = Ledger.Count(Ledger.Started);
        var finished = Ledger.Count(Ledger.Finished);
        Assert.Equal(Instances * Steps, finished.Count);
        foreach (var step in durable)
        {
            Assert.True(started[step] == 1, $"{step} was durable before the kill but started {started[step]} times");
            Assert.True(finished[step] == 1, $"{step} was durable before the kill but finished {finished[step]} times");
        }

        foreach (var (step, count) in started)
        {
            Assert.True(count <= 2, $"{step} started {count} times; a step in flight at the kill may run at most twice");
        }

        output.WriteLine($"{GetType().Name} {scenario}: durable before the kill: {durable.Count} of {Instances * Steps} steps; "
            + $"finished in the ledger before the kill: {finishedBeforeKill}; started twice: {started.Count(s => s.Value == 2)}; "
            + $"restart to all {Instances} chains completed: {recovered.TotalSeconds:F2} s (worker ready after {ready.TotalSeconds:F2} s)");
        Assert.True(durable.Count is > 0 and < Instances * Steps, "The kill should land after some steps were durable and before all were, or the test proves nothing.");
    }
}
