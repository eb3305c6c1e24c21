using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>External events, suspend and resume.</summary>
public sealed class EventTests
{
    private static void Register(TaskHubWorker worker) => worker.AddTaskOrchestrations(typeof(EventWaiter)).AddTaskActivities(typeof(Gate));

    [Fact]
    public async Task RaiseEvent_WhileWaiting_DeliversItsData()
    {
        await using var hub = await TestHub.StartAsync(Register);
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), string.Empty);

        await hub.Client.RaiseEventAsync(instance, "go", "payload-1");
        var state = await hub.WaitAsync(instance);

        Assert.Equal("\"payload-1\"", state.Output);
    }

    [Fact]
    public async Task RaiseEvent_BeforeTheOrchestratorWaits_IsKeptUntilItDoes()
    {
        await using var hub = await TestHub.StartAsync(Register);
        var gate = $"gate-{Guid.NewGuid():N}";
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), gate);
        await Gate.Started(gate).WaitAsync(TestHub.Timeout);

        await hub.Client.RaiseEventAsync(instance, "go", "early");
        Gate.Open(gate);
        var state = await hub.WaitAsync(instance);

        Assert.Equal("\"early\"", state.Output);
    }

    [Fact]
    public async Task RaiseEvent_MissingInstance_ThrowsAndWritesNothing()
    {
        await using var hub = await TestHub.StartAsync(Register);

        var error = await Assert.ThrowsAsync<OrchestrationInstanceNotFoundException>(
            () => hub.Client.RaiseEventAsync(new OrchestrationInstance { InstanceId = "nobody" }, "go", "x"));

        Assert.Equal("nobody", error.InstanceId);
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM inbox"));
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM instances"));
    }

    [Fact]
    public async Task RaiseEvent_FinishedInstance_IsDroppedWithoutError()
    {
        await using var hub = await TestHub.StartAsync(Register);
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), string.Empty);
        await hub.Client.RaiseEventAsync(instance, "go", "first");
        await hub.WaitAsync(instance);

        await hub.Client.RaiseEventAsync(instance, "go", "late");

        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM inbox"));
        Assert.Equal("\"first\"", (await hub.Client.GetOrchestrationStateAsync(instance.InstanceId))!.Output);
    }

    [Fact]
    public async Task Suspend_ThenResume_EventWaitsAndThenCompletes()
    {
        await using var hub = await TestHub.StartAsync(Register);
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), string.Empty);
        await Wait.UntilAsync(async () => (await hub.Client.GetOrchestrationStateAsync(instance.InstanceId))?.OrchestrationStatus == OrchestrationStatus.Running, "it runs");

        await hub.Client.SuspendInstanceAsync(instance, "support check");
        await Wait.UntilAsync(async () => (await hub.Client.GetOrchestrationStateAsync(instance.InstanceId))?.OrchestrationStatus == OrchestrationStatus.Suspended, "it is suspended");
        await hub.Client.RaiseEventAsync(instance, "go", "while-suspended");
        await Wait.UntilAsync(() => hub.Count("SELECT COUNT(*) FROM inbox") == 0, "the event is taken");
        var suspended = await hub.Client.GetOrchestrationStateAsync(instance.InstanceId);
        await hub.Client.ResumeInstanceAsync(instance, "checked");
        var state = await hub.WaitAsync(instance);

        Assert.Equal(OrchestrationStatus.Suspended, suspended!.OrchestrationStatus);
        Assert.Equal(OrchestrationStatus.Completed, state.OrchestrationStatus);
        Assert.Equal("\"while-suspended\"", state.Output);
    }
}
