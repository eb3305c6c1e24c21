using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.Tests.Worker;

/// <summary>An activity result and the episode that applies it commit in one store transaction when this worker holds the instance.</summary>
public sealed class DirectCompletionTests
{
    private const int Steps = 10;

    [Fact]
    public async Task Chain_WorkerHoldsTheInstance_EveryResultCommittedWithTheNextEpisode()
    {
        var store = new CountingStore();
        await using var host = await DurableTestHost.StartAsync(store, Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Chain", 0);

        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal(Expected, done.ReadOutputAs<int>());
        Assert.Equal((Steps, 0), (store.DirectCompletions, store.InboxCompletions));
        await AssertHistoryAsIfThroughTheInboxAsync(host, id);
    }

    [Fact]
    public async Task Chain_DirectCompletionRefused_ResultGoesThroughTheInboxAndNothingIsLost()
    {
        var store = new CountingStore { RefuseDirect = 3 };
        await using var host = await DurableTestHost.StartAsync(store, Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Chain", 0);

        var done = await host.WaitForCompletionAsync(id);

        // Each refused attempt had already applied the result to the cached executor: had that executor been kept, the
        // result would have been applied twice (a wrong sum, or a non-determinism failure after the replay).
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(Expected, done.ReadOutputAs<int>());
        Assert.Equal(3, store.Refused);
        Assert.Equal(3, store.InboxCompletions);
        Assert.Equal(Steps - 3, store.DirectCompletions);
        await AssertHistoryAsIfThroughTheInboxAsync(host, id);
    }

    [Fact]
    public async Task Chain_NoCache_EveryResultGoesThroughTheInbox()
    {
        var store = new CountingStore();
        await using var host = await DurableTestHost.StartAsync(store, Register, configure: o => o.MaxCachedExecutions = 0);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Chain", 0);

        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal(Expected, done.ReadOutputAs<int>());
        Assert.Equal((0, Steps), (store.DirectCompletions, store.InboxCompletions));
    }

    private static int Expected => Enumerable.Range(1, Steps).Sum();

    private static void Register(DurableTaskRegistry registry) => registry
        .AddActivity<int, int>("Add", (ctx, sum) => Task.FromResult(sum + ctx.TaskId + 1))
        .AddOrchestrator<int, int>("Chain", async (ctx, sum) =>
        {
            for (var i = 0; i < Steps; i++)
            {
                sum = await ctx.CallActivityAsync<int>("Add", sum);
            }

            return sum;
        });

    /// <summary>One result per call, each right after its own OrchestratorStarted, answering the task scheduled just before.</summary>
    private static async Task AssertHistoryAsIfThroughTheInboxAsync(DurableTestHost host, string id)
    {
        var history = await host.Client.GetHistoryAsync(id);
        var completed = history.OfType<TaskCompleted>().ToList();
        Assert.Equal(Enumerable.Range(0, Steps), completed.Select(c => c.TaskScheduledId));
        Assert.Equal(Enumerable.Range(0, Steps), history.OfType<TaskScheduled>().Select(s => s.EventId));
        Assert.Equal(Steps + 1, history.OfType<OrchestratorStarted>().Count());
        Assert.All(completed, c => Assert.IsType<OrchestratorStarted>(history[history.ToList().IndexOf(c) - 1]));
    }
}
