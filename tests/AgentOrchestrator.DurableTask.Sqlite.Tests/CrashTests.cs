using System.Diagnostics;
using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>
/// Real worker processes on one file: a worker killed (SIGKILL) while it holds locks has its work taken back at once; two
/// worker processes and this one share chains and run every task once.
/// </summary>
[Trait("Category", "Crash")]
public sealed class CrashTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task ThreeWorkerProcesses_OneFile_EveryChainCompletesAndEveryTaskRunsOnce()
    {
        await using var hub = await TestHub.StartAsync();
        var ledger = Path.Combine(hub.Folder, "ledger.db");
        Ledger.Create(ledger);
        Environment.SetEnvironmentVariable(Ledger.Variable, ledger);
        using var first = CrashWorker.Start(hub.DatabasePath, ledger);
        using var second = CrashWorker.Start(hub.DatabasePath, ledger);
        try
        {
            await Task.WhenAll(CrashWorker.ReadyAsync(first), CrashWorker.ReadyAsync(second));
            await hub.StartWorkerAsync(hub.Service, w => w.AddTaskOrchestrations(typeof(LedgerChain)).AddTaskActivities(typeof(LedgerIncrement)));

            var instances = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => hub.Client.CreateOrchestrationInstanceAsync(typeof(LedgerChain), $"shared-{i}", 8)));
            var states = await Task.WhenAll(instances.Select(hub.WaitAsync));

            Assert.All(states, s => Assert.Equal("8", s.Output));
            var runs = Ledger.Runs(ledger);
            Assert.Equal(12 * 8, runs.Count);
            Assert.Equal(12 * 8, runs.Select(r => (r.InstanceId, r.TaskId)).Distinct().Count());
            output.WriteLine(string.Join(", ", runs.GroupBy(r => r.Pid).Select(g => $"pid {g.Key}: {g.Count()} runs")));
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            second.Kill(entireProcessTree: true);
            await Task.WhenAll(first.WaitForExitAsync(), second.WaitForExitAsync()).WaitAsync(TestHub.Timeout);
        }
    }

    [Fact]
    public async Task KilledWorker_HeldSessionAndRunningActivity_NextWorkerResumesAtOnce()
    {
        await using var hub = await TestHub.StartAsync();
        using var client = hub.NewService(s => s.LockTimeout = TimeSpan.FromHours(1));
        var gate = $"crash-{Guid.NewGuid():N}";
        var instance = await new TaskHubClient(client).CreateOrchestrationInstanceAsync(typeof(EventWaiter), gate);
        using var child = CrashWorker.Start(hub.DatabasePath);
        try
        {
            var marker = $"|{child.Id}|";
            await Wait.UntilAsync(
                () => hub.Count("SELECT COUNT(*) FROM tasks WHERE lock_owner LIKE $m", ("$m", $"%{marker}%")) == 1
                    && hub.Count("SELECT COUNT(*) FROM instances WHERE lock_owner LIKE $m", ("$m", $"%{marker}%")) == 1,
                "the child holds the instance and runs its activity");
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync().WaitAsync(TestHub.Timeout);
        }

        Gate.Open(gate);
        var clock = Stopwatch.StartNew();
        var service = hub.NewService(s => s.LockTimeout = TimeSpan.FromHours(1));
        await hub.StartWorkerAsync(service, w => w.AddTaskOrchestrations(typeof(EventWaiter)).AddTaskActivities(typeof(Gate)));
        await Wait.UntilAsync(() => Gate.Runs(gate) == 1, "the activity runs again here");
        await new TaskHubClient(service).RaiseEventAsync(new OrchestrationInstance { InstanceId = instance.InstanceId }, "go", "resumed");
        var state = await new TaskHubClient(service).WaitForOrchestrationAsync(instance, TestHub.Timeout);

        Assert.Equal("\"resumed\"", state?.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Resumed after {clock.Elapsed}, though the dead worker's locks had an hour to run.");
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM history WHERE instance_id = $id AND event_type = 5", ("$id", instance.InstanceId)));
    }
}
