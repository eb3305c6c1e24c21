using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace AgentOrchestrator.DurableTask.Tests.Conformance;

/// <summary>Terminate, instance ids (reuse and dedupe), scheduled starts, purge, history.</summary>
public abstract partial class ProviderConformanceTests<TFixture>
{
    [Fact]
    public async Task Terminate_WhileAnActivityRuns_StaysTerminatedAndTheLateResultIsIgnored()
    {
        var id = NewId("terminate");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Client.ScheduleNewOrchestrationInstanceAsync("GateThenEvent", id, new StartOrchestrationOptions(id), timeout.Token);
        await ConformanceTasks.Reached(id).Task.WaitAsync(timeout.Token);

        await Client.TerminateInstanceAsync(id, "stopped by staff", timeout.Token);
        var terminated = await Host.WaitAsync(id);
        ConformanceTasks.Gate(id).SetResult("late result");
        // The late result reaches a finished instance; raise an event too, so the instance gets another message.
        await Client.RaiseEventAsync(id, "approve", "too late", timeout.Token);
        var after = await Host.WaitForStatusAsync(id, _ => true);

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, terminated.RuntimeStatus);
        Assert.Equal("stopped by staff", terminated.ReadOutputAs<string>());
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, after.RuntimeStatus);
        Assert.Equal("stopped by staff", after.ReadOutputAs<string>());
    }

    [Fact]
    public async Task StartNew_SameIdWhileRunning_IsRefusedAndTheRunningInstanceIsUntouched()
    {
        var id = NewId("dedupe");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Client.ScheduleNewOrchestrationInstanceAsync("WaitForEvent", "first", new StartOrchestrationOptions(id), timeout.Token);
        await Client.WaitForInstanceStartAsync(id, timeout.Token);

        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(
            () => Client.ScheduleNewOrchestrationInstanceAsync("WaitForEvent", "second", new StartOrchestrationOptions(id), timeout.Token));

        await Client.RaiseEventAsync(id, "approve", "still the first", timeout.Token);
        var done = await Host.WaitAsync(id);
        Assert.Equal("first", done.ReadInputAs<string>());
        Assert.Equal("still the first", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task StartNew_SameIdAfterCompletion_StartsAFreshExecution()
    {
        var id = NewId("reuse");
        var first = await Host.RunAsync("Chain", 2, id);

        var second = await Host.RunAsync("Chain", 3, id);

        Assert.Equal(4, first.ReadOutputAs<int>());
        Assert.Equal(8, second.ReadOutputAs<int>());
        Assert.Equal(3, second.ReadInputAs<int>());
    }

    [Fact]
    public async Task StartNew_ScheduledStartTime_DoesNotRunBeforeIt()
    {
        var id = NewId("start-at");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var startAt = DateTimeOffset.UtcNow.AddSeconds(2);

        await Client.ScheduleNewOrchestrationInstanceAsync("Chain", 1, new StartOrchestrationOptions(id, startAt), timeout.Token);
        var pending = await Client.GetInstanceAsync(id, timeout.Token);
        var done = await Host.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Pending, pending!.RuntimeStatus);
        Assert.Equal(2, done.ReadOutputAs<int>());
        // Named difference: DurableTask.AzureStorage may start up to a second early (queue visibility in whole seconds).
        Assert.True(done.LastUpdatedAt >= startAt - Fixture.Traits.TimerGranularity, $"ran at {done.LastUpdatedAt:O}, scheduled for {startAt:O}");
    }

    [Fact]
    public async Task Purge_FinishedInstance_IsGoneAndItsIdFree()
    {
        var id = NewId("purge");
        await Host.RunAsync("Chain", 1, id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var result = await Client.PurgeInstanceAsync(id, timeout.Token);

        Assert.Equal(1, result.PurgedInstanceCount);
        Assert.Null(await Client.GetInstanceAsync(id, timeout.Token));
        Assert.Equal(0, (await Client.PurgeInstanceAsync(id, timeout.Token)).PurgedInstanceCount);
    }

    [Fact]
    public async Task Purge_RunningInstance_IsRefusedAndChangesNothing()
    {
        var id = NewId("purge-running");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Client.ScheduleNewOrchestrationInstanceAsync("WaitForEvent", "x", new StartOrchestrationOptions(id), timeout.Token);
        await Client.WaitForInstanceStartAsync(id, timeout.Token);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Client.PurgeInstanceAsync(id, timeout.Token));

        Assert.Contains(id, error.Message, StringComparison.Ordinal);
        await Client.RaiseEventAsync(id, "approve", "alive", timeout.Token);
        Assert.Equal("alive", (await Host.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task History_FinishedChain_ListsEachStepInOrder()
    {
        var id = NewId("history");
        await Host.RunAsync("Chain", 3, id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        if (!Fixture.Traits.ReturnsHistory)
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => Client.GetOrchestrationHistoryAsync(id, timeout.Token));
            return;
        }

        var history = await Client.GetOrchestrationHistoryAsync(id, timeout.Token);

        var types = history.Select(e => e.EventType.ToString()).ToList();
        Assert.Equal("ExecutionStarted", types.First(t => t != "OrchestratorStarted"));
        Assert.Equal(3, types.Count(t => t == "TaskScheduled"));
        Assert.Equal(3, types.Count(t => t == "TaskCompleted"));
        Assert.Equal("ExecutionCompleted", types.Last(t => t != "OrchestratorCompleted"));
    }
}
