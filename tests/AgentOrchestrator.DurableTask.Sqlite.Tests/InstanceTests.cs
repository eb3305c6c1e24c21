using DurableTask.Core;
using DurableTask.Core.Exceptions;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>Creating (dedupe, id reuse), terminating and reading instances.</summary>
public sealed class InstanceTests
{
    private static void Register(TaskHubWorker worker)
        => worker.AddTaskOrchestrations(typeof(Chain), typeof(EventWaiter)).AddTaskActivities(typeof(Increment), typeof(Gate));

    [Fact]
    public async Task Create_DedupeStatusMatchesRunningInstance_ThrowsAndKeepsIt()
    {
        await using var hub = await TestHub.StartAsync(Register);
        var first = await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), "order-1", string.Empty);

        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() => hub.Client.CreateOrchestrationInstanceAsync(
            typeof(EventWaiter), "order-1", string.Empty, [OrchestrationStatus.Pending, OrchestrationStatus.Running]));

        var state = await hub.Client.GetOrchestrationStateAsync("order-1");
        Assert.Equal(first.ExecutionId, state!.OrchestrationInstance.ExecutionId);
    }

    [Fact]
    public async Task Create_SameIdAfterCompletion_StartsANewExecutionWithFreshHistory()
    {
        await using var hub = await TestHub.StartAsync(Register);
        var first = await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), "reused", 3);
        await hub.WaitAsync(first);

        var second = await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), "reused", 2, [OrchestrationStatus.Pending, OrchestrationStatus.Running]);
        var state = await hub.WaitAsync(second);

        Assert.NotEqual(first.ExecutionId, second.ExecutionId);
        Assert.Equal(second.ExecutionId, state.OrchestrationInstance.ExecutionId);
        Assert.Equal("2", state.Output);
        Assert.Equal(2, hub.Count("SELECT COUNT(*) FROM history WHERE instance_id = 'reused' AND event_type = 5"));
    }

    [Fact]
    public async Task Terminate_WhileActivityRuns_InstanceTerminatedAndLateResultDropped()
    {
        await using var hub = await TestHub.StartAsync(Register);
        var gate = $"gate-{Guid.NewGuid():N}";
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), gate);
        await Gate.Started(gate).WaitAsync(TestHub.Timeout);

        await hub.Client.TerminateInstanceAsync(instance, "cancelled by support");
        var state = await hub.WaitAsync(instance);
        Gate.Open(gate);
        await Wait.UntilAsync(() => hub.Service.ActivitiesInFlight == 0, "the activity completed");

        Assert.Equal(OrchestrationStatus.Terminated, state.OrchestrationStatus);
        Assert.Equal("cancelled by support", state.Output);
        Assert.Equal(OrchestrationStatus.Terminated, (await hub.Client.GetOrchestrationStateAsync(instance.InstanceId))!.OrchestrationStatus);
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM history WHERE instance_id = $id AND event_type = 5", ("$id", instance.InstanceId)));
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM tasks") + hub.Count("SELECT COUNT(*) FROM inbox"));
    }

    [Fact]
    public async Task Terminate_NotStartedYet_TerminatedAtOnceWithoutAWorker()
    {
        await using var hub = await TestHub.StartAsync();
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), 5);

        await hub.Client.TerminateInstanceAsync(instance, "never mind");
        var state = await hub.WaitAsync(instance);

        Assert.Equal(OrchestrationStatus.Terminated, state.OrchestrationStatus);
        Assert.Equal("never mind", state.Output);
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM inbox"));
    }

    [Fact]
    public async Task Terminate_MissingInstance_Throws()
    {
        await using var hub = await TestHub.StartAsync();

        await Assert.ThrowsAsync<OrchestrationInstanceNotFoundException>(() => hub.Client.TerminateInstanceAsync(new OrchestrationInstance { InstanceId = "ghost" }, "x"));
    }

    [Fact]
    public async Task GetState_WrongExecutionId_ReturnsNullAndHistoryIsEmpty()
    {
        await using var hub = await TestHub.StartAsync(Register);
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), 1);
        await hub.WaitAsync(instance);

        Assert.Null(await hub.Service.GetOrchestrationStateAsync(instance.InstanceId, "other-execution"));
        Assert.Equal("[]", await hub.Service.GetOrchestrationHistoryAsync(instance.InstanceId, "other-execution"));
        Assert.Empty(await hub.Service.GetOrchestrationStateAsync("missing", allExecutions: true));
    }

    [Fact]
    public async Task ScheduledStart_EventRaisedBeforeTheStart_WaitsForTheStart()
    {
        await using var hub = await TestHub.StartAsync(Register);
        var startAt = DateTime.UtcNow.AddMilliseconds(700);
        var instance = await hub.Client.CreateScheduledOrchestrationInstanceAsync(typeof(EventWaiter), "scheduled-1", string.Empty, startAt);

        await hub.Client.RaiseEventAsync(instance, "go", "queued");
        var state = await hub.WaitAsync(instance);

        Assert.Equal("\"queued\"", state.Output);
        Assert.True(state.CompletedTime >= startAt.AddMilliseconds(-50), $"It ran at {state.CompletedTime:O}, before {startAt:O}.");
    }
}
