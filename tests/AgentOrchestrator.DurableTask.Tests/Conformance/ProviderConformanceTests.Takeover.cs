using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace AgentOrchestrator.DurableTask.Tests.Conformance;

/// <summary>A worker that hangs and is stopped loses its work to another worker on the same task hub.</summary>
public abstract partial class ProviderConformanceTests<TFixture>
{
    [Fact]
    public async Task LockExpiry_FirstWorkerHangsInAnActivityAndStops_SecondWorkerRunsItAgainAndTheInstanceCompletes()
    {
        if (!Fixture.Traits.SeveralWorkersShareAHub)
        {
            return; // named difference: the in-memory test service lives in one process, so no second worker can share it
        }

        var hub = "t" + Guid.NewGuid().ToString("N")[..16];
        var id = NewId("takeover");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var stalling = new StallingOrchestrationService(Fixture.CreateService(hub, shortLocks: true));
        var first = await Fixture.StartHostAsync(stalling);
        await first.Client.ScheduleNewOrchestrationInstanceAsync("HangOnce", id, new StartOrchestrationOptions(id), timeout.Token);
        await ConformanceTasks.Reached(id).Task.WaitAsync(timeout.Token);

        // The first worker hangs inside the activity: it neither renews its locks nor completes anything, then stops.
        stalling.Stall();
        await first.StopAsync(graceful: TimeSpan.FromMilliseconds(200));
        var second = await Fixture.StartHostAsync(Fixture.CreateService(hub, shortLocks: true));
        var done = await second.WaitAsync(id, seconds: 120);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("second run", done.ReadOutputAs<string>());
        Assert.Equal(2, ConformanceTasks.Calls[id]);
        stalling.Fail();
        ConformanceTasks.Gate(id).TrySetResult("released"); // the hung first run ends; its worker's calls fail
    }
}
