using DurableTask.Core;
using DurableTask.Core.History;
using Newtonsoft.Json.Linq;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>The orchestration patterns, end to end through TaskHubWorker and TaskHubClient.</summary>
public sealed class OrchestrationTests
{
    private static void Register(TaskHubWorker worker) => worker
        .AddTaskOrchestrations(typeof(Chain), typeof(FanOut), typeof(Sleeper), typeof(Parent), typeof(CatchingParent), typeof(FailingChild),
            typeof(CatchingCaller), typeof(EchoTwice), typeof(Counter), typeof(ParentOfNamedChild), typeof(EventWaiter))
        .AddTaskActivities(typeof(Increment), typeof(Echo), typeof(Fail), typeof(Gate));

    [Fact]
    public async Task Chain_TenSteps_CompletesWithTheirResultAndHistory()
    {
        await using var hub = await TestHub.StartAsync(Register);

        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), 10);
        var state = await hub.WaitAsync(instance);

        Assert.Equal(OrchestrationStatus.Completed, state.OrchestrationStatus);
        Assert.Equal("10", state.Output);
        var history = JArray.Parse(await hub.Client.GetOrchestrationHistoryAsync(instance));
        Assert.Equal(10, history.Count(e => e["EventType"]?.Value<int>() == (int)EventType.TaskCompleted));
        Assert.Equal(1, history.Count(e => e["EventType"]?.Value<int>() == (int)EventType.ExecutionStarted));
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM inbox") + hub.Count("SELECT COUNT(*) FROM tasks"));
    }

    [Fact]
    public async Task FanOut_TwentyActivities_SumsAllResults()
    {
        await using var hub = await TestHub.StartAsync(Register);

        var state = await hub.WaitAsync(await hub.Client.CreateOrchestrationInstanceAsync(typeof(FanOut), 20));

        Assert.Equal(OrchestrationStatus.Completed, state.OrchestrationStatus);
        Assert.Equal(Enumerable.Range(1, 20).Sum().ToString(System.Globalization.CultureInfo.InvariantCulture), state.Output);
    }

    [Fact]
    public async Task DurableTimer_HalfSecond_FiresNotBefore()
    {
        await using var hub = await TestHub.StartAsync(Register);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var state = await hub.WaitAsync(await hub.Client.CreateOrchestrationInstanceAsync(typeof(Sleeper), 500));

        Assert.Equal("\"fired\"", state.Output);
        Assert.True(clock.ElapsedMilliseconds >= 450, $"The timer fired after {clock.ElapsedMilliseconds} ms.");
    }

    [Fact]
    public async Task SubOrchestration_Chain_ReturnsItsResultToTheParent()
    {
        await using var hub = await TestHub.StartAsync(Register);

        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(Parent), "parent-1", 3);
        var state = await hub.WaitAsync(instance);

        Assert.Equal("4", state.Output);
        var child = await hub.Client.GetOrchestrationStateAsync("parent-1:child");
        Assert.Equal(OrchestrationStatus.Completed, child!.OrchestrationStatus);
        Assert.Equal("parent-1", child.ParentInstance?.OrchestrationInstance.InstanceId);
    }

    [Fact]
    public async Task SubOrchestration_Failing_ParentSeesFailureDetails()
    {
        await using var hub = await TestHub.StartAsync(Register);

        var state = await hub.WaitAsync(await hub.Client.CreateOrchestrationInstanceAsync(typeof(CatchingParent), "deep trouble"));

        Assert.Equal(OrchestrationStatus.Completed, state.OrchestrationStatus);
        Assert.Contains("TaskFailedException", state.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubOrchestration_IdOfARunningInstance_ParentIsToldTheCallFailed()
    {
        await using var hub = await TestHub.StartAsync(Register);
        await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), "busy-child", string.Empty);

        var state = await hub.WaitAsync(await hub.Client.CreateOrchestrationInstanceAsync(typeof(ParentOfNamedChild), "busy-child"));

        Assert.Equal("\"OrchestrationAlreadyExists\"", state.Output);
        Assert.Equal(OrchestrationStatus.Running, (await hub.Client.GetOrchestrationStateAsync("busy-child"))!.OrchestrationStatus);
    }

    [Fact]
    public async Task ActivityFailure_Caught_OrchestrationSeesTypeAndMessage()
    {
        await using var hub = await TestHub.StartAsync(Register);

        var input = $"{typeof(Fail).FullName}|card declined";
        var state = await hub.WaitAsync(await hub.Client.CreateOrchestrationInstanceAsync(typeof(CatchingCaller), input));

        Assert.Equal("\"System.InvalidOperationException|card declined|False\"", state.Output);
    }

    [Fact]
    public async Task ActivityFailure_Uncaught_InstanceFailedWithDetailsStored()
    {
        await using var hub = await TestHub.StartAsync(Register);

        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(FailingChild), "no stock");
        await hub.WaitAsync(instance);
        var state = await hub.Client.GetOrchestrationStateAsync(instance.InstanceId);

        Assert.Equal(OrchestrationStatus.Failed, state!.OrchestrationStatus);
        Assert.NotNull(state.FailureDetails);
        Assert.Equal(typeof(global::DurableTask.Core.Exceptions.TaskFailedException).FullName, state.FailureDetails.ErrorType);
        Assert.Contains("no stock", state.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargePayloads_OneMebibyte_RoundTripThroughActivitiesAndState()
    {
        await using var hub = await TestHub.StartAsync(Register);
        var payload = string.Create(1024 * 1024, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + (i % 26));
            }
        });

        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(EchoTwice), payload);
        var state = await hub.WaitAsync(instance);

        Assert.Equal(OrchestrationStatus.Completed, state.OrchestrationStatus);
        Assert.Equal(payload, Newtonsoft.Json.JsonConvert.DeserializeObject<string>(state.Output));
        Assert.Equal(payload, Newtonsoft.Json.JsonConvert.DeserializeObject<string>(state.Input));
    }

    [Fact]
    public async Task ContinueAsNew_EventsArriveWhileItContinues_NoneIsLostAndHistoryIsReset()
    {
        await using var hub = await TestHub.StartAsync(Register);
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(Counter), "counter-1", 0);

        // Events name the instance, not the execution (as the SDK's client sends them): an event naming the first
        // execution would be dropped by DurableTask.Core once the instance has continued as new.
        var anyExecution = new OrchestrationInstance { InstanceId = instance.InstanceId };
        await hub.Client.RaiseEventAsync(anyExecution, "inc", 1);
        await Wait.UntilAsync(
            async () => (await hub.Client.GetOrchestrationStateAsync(instance.InstanceId))?.OrchestrationInstance.ExecutionId != instance.ExecutionId,
            "it continued as new");
        for (var i = 1; i < Counter.Target; i++)
        {
            await hub.Client.RaiseEventAsync(anyExecution, "inc", 1);
        }

        var state = await hub.WaitAsync(anyExecution);

        Assert.Equal(OrchestrationStatus.Completed, state.OrchestrationStatus);
        Assert.Equal(Counter.Target.ToString(System.Globalization.CultureInfo.InvariantCulture), state.Output);
        var history = JArray.Parse(await hub.Service.GetOrchestrationHistoryAsync(instance.InstanceId, executionId: null));
        Assert.Equal(1, history.Count(e => e["EventType"]?.Value<int>() == (int)EventType.ExecutionStarted));
    }
}
