using System.Collections.Concurrent;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Testing;

/// <summary>
/// Whole orchestrations run by a real worker over each store: what a user of the engine sees.
/// </summary>
[Trait("Category", "Conformance")]
public abstract class EngineConformanceTests
{
    /// <summary>Creates an empty, initialized store for one test.</summary>
    protected abstract Task<IDurableStore> CreateStoreAsync();

    /// <summary>Registers the orchestrators and activities the scenarios use.</summary>
    protected static void RegisterScenarios(DurableTaskRegistry registry, ConcurrentDictionary<string, int> calls)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry
            .AddActivity<int, int>("Double", (_, x) => Task.FromResult(x * 2))
            .AddActivity<string, string>("Flaky", (ctx, key) =>
            {
                var n = calls.AddOrUpdate(key!, 1, (_, c) => c + 1);
                return n < 3 ? throw new InvalidOperationException($"attempt {n} failed") : Task.FromResult($"ok after {n}");
            })
            .AddActivity<string, string>("Boom", (_, _) => throw new InvalidOperationException("card declined"))
            .AddOrchestrator<int, int>("Chain", async (ctx, n) =>
            {
                var value = 1;
                for (var i = 0; i < n; i++)
                {
                    value = await ctx.CallActivityAsync<int>("Double", value);
                }

                return value;
            })
            .AddOrchestrator<string, string>("Retry", async (ctx, key) => (await ctx.CallActivityAsync<string>(
                "Flaky", key, new TaskOptions { Retry = new RetryPolicy(3, TimeSpan.FromMilliseconds(20)) }))!)
            .AddOrchestrator<string, string>("CatchFailure", async (ctx, _) =>
            {
                try
                {
                    await ctx.CallActivityAsync("Boom", "x");
                    return "no failure";
                }
                catch (TaskFailedException e)
                {
                    return $"caught: {e.Failure.Message}";
                }
            })
            .AddOrchestrator<string, string>("Approval", async (ctx, _) =>
            {
                try
                {
                    return await ctx.WaitForExternalEvent<string>("approve", TimeSpan.FromMinutes(5)) ?? "";
                }
                catch (TimeoutException)
                {
                    return "timed out";
                }
            })
            .AddOrchestrator<int, int>("Parent", async (ctx, n) => await ctx.CallSubOrchestratorAsync<int>("Chain", n) + 1)
            .AddOrchestrator<int, int>("Counter", async (ctx, n) =>
            {
                if (n >= 5)
                {
                    return n;
                }

                await ctx.CallActivityAsync<int>("Double", n);
                ctx.ContinueAsNew(n + 1);
                return -1;
            })
            .AddOrchestrator<string, string>("ShortTimer", async (ctx, _) =>
            {
                await ctx.CreateTimer(TimeSpan.FromMilliseconds(50));
                return "fired";
            })
            .AddActivity<int, int>("Note", (ctx, x) =>
            {
                ctx.AppendLogWithOutcome(new InstanceLogEntry("note", $"note {x}", DateTimeOffset.UtcNow, $"note:{x}"));
                return x == 2 ? throw new InvalidOperationException("note 2 failed") : Task.FromResult(x);
            })
            .AddOrchestrator<int, string>("Journal", async (ctx, n) =>
            {
                // No dedupe keys on the orchestration's own entries: an entry written again on replay would show.
                for (var i = 0; i < n; i++)
                {
                    ctx.AppendLog(new InstanceLogEntry("step", $"step {i}", ctx.CurrentUtcDateTime));
                    try
                    {
                        await ctx.CallActivityAsync<int>("Note", i);
                    }
                    catch (TaskFailedException)
                    {
                        ctx.AppendLog(new InstanceLogEntry("step", $"step {i} failed", ctx.CurrentUtcDateTime));
                    }
                }

                ctx.AppendLog(new InstanceLogEntry("done", "done", ctx.CurrentUtcDateTime));
                return "ok";
            });
    }

    [Fact]
    public async Task ActivityChain_RunsToCompletion_WithEveryResultInHistory()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Chain", 10);

        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(1024, done.ReadOutputAs<int>());
        var history = await host.Client.GetHistoryAsync(id);
        Assert.Equal(10, history.OfType<TaskCompleted>().Count());
        Assert.IsType<ExecutionCompleted>(history[^1]);
    }

    [Fact]
    public async Task RetryPolicy_FlakyActivity_SucceedsOnThirdAttempt()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Retry", "k1");

        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal("ok after 3", done.ReadOutputAs<string>());
        var history = await host.Client.GetHistoryAsync(id);
        Assert.Equal(2, history.OfType<TaskFailed>().Count());
        Assert.Equal(2, history.OfType<TimerFired>().Count());
    }

    [Fact]
    public async Task ActivityFailure_ReachesOrchestratorAsTaskFailedException()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("CatchFailure", "x");

        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal("caught: card declined", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ExternalEvent_RaisedWhileWaiting_CompletesWithPayload()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "x");
        await host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await host.Client.RaiseEventAsync(id, "APPROVE", "yes");

        Assert.Equal("yes", (await host.WaitForCompletionAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task SubOrchestration_ReturnsChildOutputToParent()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Parent", 3);

        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal(9, done.ReadOutputAs<int>());
        var child = await host.Client.GetInstanceAsync($"{id}:0");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
        Assert.Equal(id, child.ParentInstanceId);
    }

    [Fact]
    public async Task ContinueAsNew_RestartsWithNewInputAndShortHistory()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Counter", 0);

        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal(5, done.ReadOutputAs<int>());
        var history = await host.Client.GetHistoryAsync(id);
        Assert.Equal(5, Assert.IsType<ExecutionStarted>(history.First(e => e is ExecutionStarted)).Input is { } input ? int.Parse(input, System.Globalization.CultureInfo.InvariantCulture) : -1);
        Assert.True(history.Count <= 4, $"history should hold only the last execution, had {history.Count} events");
    }

    [Fact]
    public async Task Terminate_WaitingInstance_EndsTerminatedWithReason()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "x");
        await host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await host.Client.TerminateInstanceAsync(id, "operator stopped it");

        var done = await host.WaitForCompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.Equal("operator stopped it", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Suspend_HoldsEventsUntilResumed()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "x");
        await host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await host.Client.SuspendInstanceAsync(id, "investigating");
        await host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);
        await host.Client.RaiseEventAsync(id, "approve", "held");
        var stillSuspended = await host.Client.GetInstanceAsync(id);
        await host.Client.ResumeInstanceAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Suspended, stillSuspended!.RuntimeStatus);
        Assert.Equal("held", (await host.WaitForCompletionAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task DurableTimer_Fires()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("ShortTimer");

        Assert.Equal("fired", (await host.WaitForCompletionAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task RaiseEvent_UnknownInstance_ThrowsNotFound()
    {
        await using var host = await StartAsync();
        await Assert.ThrowsAsync<InstanceNotFoundException>(() => host.Client.RaiseEventAsync("nope", "approve"));
    }

    [Fact]
    public async Task Restart_CompletedInstance_RunsAgainWithOriginalInput()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Chain", 2);
        await host.WaitForCompletionAsync(id);

        var again = await host.Client.RestartAsync(id, restartWithNewInstanceId: true);

        Assert.NotEqual(id, again);
        Assert.Equal(4, (await host.WaitForCompletionAsync(again)).ReadOutputAs<int>());
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(0)] // nothing cached: every episode replays the code from history
    public async Task EventLog_OrchestrationAndActivityEntries_EachWrittenOnceInOrder(int cachedExecutions)
    {
        await using var host = await StartAsync(o => o.MaxCachedExecutions = cachedExecutions);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Journal", 3);

        Assert.Equal("ok", (await host.WaitForCompletionAsync(id)).ReadOutputAs<string>());

        var log = await host.Store.ReadLogAsync(id, 0, 100);
        Assert.Equal(
            ["step 0", "note 0", "step 1", "note 1", "step 2", "note 2", "step 2 failed", "done"],
            log.Select(r => r.Data));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), log.Select(r => r.Sequence));
    }

    private async Task<DurableTestHost> StartAsync(Action<DurableWorkerOptions>? configure = null)
    {
        var calls = new ConcurrentDictionary<string, int>();
        return await DurableTestHost.StartAsync(await CreateStoreAsync(), r => RegisterScenarios(r, calls), configure: configure);
    }
}
