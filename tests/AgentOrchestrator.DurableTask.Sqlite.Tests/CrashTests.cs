using System.Diagnostics;
using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>A real worker process killed (SIGKILL) while it holds locks; the next worker takes its work back at once.</summary>
public sealed class CrashTests
{
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
