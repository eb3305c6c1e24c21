using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace AgentOrchestrator.DurableTask.Tests.Conformance;

/// <summary>External events: buffered before the wait, timeouts, suspension, missing instances, continue-as-new.</summary>
public abstract partial class ProviderConformanceTests<TFixture>
{
    [Fact]
    public async Task ExternalEvent_RaisedBeforeTheOrchestratorWaits_IsDelivered()
    {
        var id = NewId("early-event");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Client.ScheduleNewOrchestrationInstanceAsync("GateThenEvent", id, new StartOrchestrationOptions(id), timeout.Token);
        await ConformanceTasks.Reached(id).Task.WaitAsync(timeout.Token);

        // The orchestrator is busy in an activity: the event arrives before anything waits for it.
        await Client.RaiseEventAsync(id, "approve", "ana", timeout.Token);
        ConformanceTasks.Gate(id).SetResult("gated");
        var done = await Host.WaitAsync(id);

        Assert.Equal("gated, approved by ana", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ExternalEvent_NoneArrivesWithinTheTimeout_TheWaitTimesOut()
    {
        var done = await Host.RunAsync("EventOrTimeout", 300);

        Assert.Equal("timed out", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ExternalEvent_ArrivesBeforeTheTimeout_WinsOverTheTimer()
    {
        var id = NewId("event-wins");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Client.ScheduleNewOrchestrationInstanceAsync("EventOrTimeout", 600_000, new StartOrchestrationOptions(id), timeout.Token);
        await Client.WaitForInstanceStartAsync(id, timeout.Token);

        await Client.RaiseEventAsync(id, "approve", "bo", timeout.Token);

        Assert.Equal("bo", (await Host.WaitAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task SuspendResume_EventRaisedWhileSuspended_IsHandledOnlyAfterResume()
    {
        var id = NewId("suspend");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Client.ScheduleNewOrchestrationInstanceAsync("WaitForEvent", "x", new StartOrchestrationOptions(id), timeout.Token);
        await Host.WaitForStatusAsync(id, s => s.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await Client.SuspendInstanceAsync(id, "staff looks at it", timeout.Token);
        await Host.WaitForStatusAsync(id, s => s.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);
        await Client.RaiseEventAsync(id, "approve", "cy", timeout.Token);
        // The suspended instance takes the event in but does not act on it: it stays suspended.
        var suspended = await Host.WaitForStatusAsync(id, s => s.RuntimeStatus != OrchestrationRuntimeStatus.Running);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, suspended.RuntimeStatus);

        await Client.ResumeInstanceAsync(id, "done looking", timeout.Token);
        var done = await Host.WaitAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("cy", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ExternalEvent_ToAnInstanceThatDoesNotExist_DoesWhatTheProviderSays()
    {
        if (Fixture.Traits.EventToMissingInstance == MissingInstanceEvent.NotRun)
        {
            return;
        }

        var id = NewId("missing");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var raise = Client.RaiseEventAsync(id, "approve", "nobody", timeout.Token);

        switch (Fixture.Traits.EventToMissingInstance)
        {
            case MissingInstanceEvent.Throws:
                var error = await Assert.ThrowsAnyAsync<Exception>(() => raise);
                Assert.Contains(id, error.Message, StringComparison.Ordinal);
                break;
            default:
                await raise;
                break;
        }

        Assert.Null(await Client.GetInstanceAsync(id, timeout.Token));
    }

    [Fact]
    public async Task ContinueAsNew_EventsArriveWhileItRestarts_NoneIsLost()
    {
        var id = NewId("counter");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Client.ScheduleNewOrchestrationInstanceAsync("Counter", new CounterState(Expected: 5), new StartOrchestrationOptions(id), timeout.Token);
        await Client.WaitForInstanceStartAsync(id, timeout.Token);

        // Five events in a burst: most arrive while an execution is ending and the next is starting.
        foreach (var add in new[] { 1, 2, 3, 4, 5 })
        {
            await Client.RaiseEventAsync(id, "add", add, timeout.Token);
        }

        var done = await Host.WaitAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(15, done.ReadOutputAs<int>());
    }
}
