using System.Collections.Concurrent;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.Tests.Orchestration;

/// <summary>What orchestrator code sees must be the same on every replay; code that changes under a running instance fails it clearly.</summary>
public sealed class ReplayDeterminismTests
{
    [Fact]
    public async Task CurrentUtcDateTimeAndNewGuid_ReplayedEveryEpisode_SameValuesAsFirstRun()
    {
        var clock = TestClock.Create();
        var seen = new ConcurrentQueue<Observation>();
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), r => r
            .AddOrchestrator<string, string>("Observer", async (ctx, _) =>
            {
                seen.Enqueue(new Observation(0, ctx.IsReplaying, ctx.CurrentUtcDateTime, ctx.NewGuid()));
                await ctx.CreateTimer(TimeSpan.FromMinutes(5));
                seen.Enqueue(new Observation(1, ctx.IsReplaying, ctx.CurrentUtcDateTime, ctx.NewGuid()));
                await ctx.WaitForExternalEvent<string>("go");
                seen.Enqueue(new Observation(2, ctx.IsReplaying, ctx.CurrentUtcDateTime, ctx.NewGuid()));
                return "done";
            }), clock, o => o.MaxCachedExecutions = 0);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Observer");
        await host.WaitForHistoryAsync(id, h => h.OfType<TimerCreated>().Any());

        clock.AdvanceAndWake(host, TimeSpan.FromMinutes(7));
        await host.WaitForHistoryAsync(id, h => h.OfType<TimerFired>().Any());
        clock.AdvanceAndWake(host, TimeSpan.FromMinutes(1));
        await host.Client.RaiseEventAsync(id, "go");
        await host.WaitForCompletionAsync(id);

        var episodeTimes = (await host.Client.GetHistoryAsync(id)).OfType<OrchestratorStarted>().Select(e => e.Timestamp).ToList();
        Assert.Equal([TestClock.T0, TestClock.T0.AddMinutes(7), TestClock.T0.AddMinutes(8)], episodeTimes);
        var byStep = seen.GroupBy(o => o.Step).OrderBy(g => g.Key).ToList();
        Assert.Equal(3, byStep.Count);
        for (var step = 0; step < 3; step++)
        {
            var runs = byStep[step].ToList();
            Assert.Single(runs, o => !o.Replaying);
            Assert.Single(runs.Select(o => o.Time).Distinct());
            Assert.Single(runs.Select(o => o.Guid).Distinct());
            Assert.Equal(episodeTimes[step], runs[0].Time);
        }

        Assert.True(byStep[0].Count() >= 3, "the first step should have been replayed in the later episodes");
        Assert.Equal(3, byStep.Select(g => g.First().Guid).Distinct().Count());
    }

    [Fact]
    public async Task Replay_CodeSwitchedToAnotherActivity_FailsNamingRecordedAndNewAction()
    {
        var store = new InMemoryDurableStore();
        var version = new CodeVersion();
        var charged = new ConcurrentQueue<string>();
        string id;
        await using (var v1 = await DurableTestHost.StartAsync(store, r => RegisterCheckout(r, version, charged)))
        {
            id = await v1.Client.ScheduleNewOrchestrationInstanceAsync("Checkout", "order-7");
            await v1.WaitForHistoryAsync(id, h => h.OfType<TaskCompleted>().Any());
        }

        version.UseV2 = true;
        await using var v2 = await DurableTestHost.StartAsync(store, r => RegisterCheckout(r, version, charged));
        await v2.Client.RaiseEventAsync(id, "shipped");
        var done = await v2.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(typeof(NonDeterministicOrchestrationException).FullName, done.Failure!.ErrorType);
        Assert.Contains("history has TaskScheduled 'ChargeCard'", done.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("now schedules TaskScheduled 'ChargeWallet'", done.Failure.Message, StringComparison.Ordinal);
        Assert.True(done.Failure.IsNonRetriable);
        Assert.Equal(["ChargeCard"], charged.ToArray());
        var history = await v2.Client.GetHistoryAsync(id);
        Assert.IsType<ExecutionFailed>(history[^1]);
    }

    [Fact]
    public async Task Replay_CodeSchedulesNothingWhereHistoryHasAction_FailsNamingRecordedAction()
    {
        var store = new InMemoryDurableStore();
        var version = new CodeVersion();
        string id;
        await using (var v1 = await DurableTestHost.StartAsync(store, r => RegisterWait(r, version)))
        {
            id = await v1.Client.ScheduleNewOrchestrationInstanceAsync("Reminder");
            await v1.WaitForHistoryAsync(id, h => h.OfType<TimerCreated>().Any());
        }

        version.UseV2 = true;
        await using var v2 = await DurableTestHost.StartAsync(store, r => RegisterWait(r, version));
        await v2.Client.RaiseEventAsync(id, "go");
        var done = await v2.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("history has TimerCreated with id 0", done.Failure!.Message, StringComparison.Ordinal);
        Assert.Contains("did not schedule anything with that id", done.Failure.Message, StringComparison.Ordinal);
    }

    private static void RegisterCheckout(DurableTaskRegistry registry, CodeVersion version, ConcurrentQueue<string> charged) => registry
        .AddActivity<string, string>("ChargeCard", (_, order) =>
        {
            charged.Enqueue("ChargeCard");
            return Task.FromResult($"card:{order}");
        })
        .AddActivity<string, string>("ChargeWallet", (_, order) =>
        {
            charged.Enqueue("ChargeWallet");
            return Task.FromResult($"wallet:{order}");
        })
        .AddOrchestrator<string, string>("Checkout", async (ctx, order) =>
        {
            var receipt = await ctx.CallActivityAsync<string>(version.UseV2 ? "ChargeWallet" : "ChargeCard", order);
            await ctx.WaitForExternalEvent<string>("shipped");
            return receipt ?? "";
        });

    private static void RegisterWait(DurableTaskRegistry registry, CodeVersion version) => registry
        .AddOrchestrator<string, string>("Reminder", async (ctx, _) =>
        {
            if (!version.UseV2)
            {
                await ctx.CreateTimer(TimeSpan.FromDays(1));
            }

            await ctx.WaitForExternalEvent<string>("go");
            return "done";
        });

    /// <summary>Stands for a deployment: which version of the orchestrator code the worker runs.</summary>
    private sealed class CodeVersion
    {
        public volatile bool UseV2;
    }

    private sealed record Observation(int Step, bool Replaying, DateTimeOffset Time, Guid Guid);
}
