using System.Collections.Concurrent;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.Tests.Orchestration;

/// <summary>Activity retries: the waits follow the policy, are durable timers on the engine's clock, and end in a TaskFailedException.</summary>
public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new(4, TimeSpan.FromSeconds(10)) { BackoffCoefficient = 2, MaxRetryInterval = TimeSpan.FromSeconds(25) };

    [Theory]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(4, 25)]
    [InlineData(9, 25)]
    public void DelayBefore_Attempt_BacksOffByCoefficientUpToMaxInterval(int attempt, int expectedSeconds)
        => Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Policy.DelayBefore(attempt));

    [Fact]
    public void Allows_NonRetriableFailureOrRejectedByShouldRetry_IsFalse()
    {
        var policy = Policy with { ShouldRetry = f => f.ErrorType != "Fatal" };

        Assert.True(policy.Allows(new FailureDetails("Transient", "try again")));
        Assert.False(policy.Allows(new FailureDetails("Transient", "no", IsNonRetriable: true)));
        Assert.False(policy.Allows(new FailureDetails("Fatal", "no")));
    }

    [Fact]
    public async Task CallActivityAsync_AlwaysFailing_WaitsConfiguredIntervalsThenThrowsTaskFailedWithDetails()
    {
        var clock = TestClock.Create();
        var calls = new ConcurrentQueue<DateTimeOffset>();
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), r => Register(r, calls, clock), clock);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Charge", "order-1");

        var waits = new[] { 10, 20, 25 };
        for (var failures = 1; failures <= waits.Length; failures++)
        {
            var n = failures;
            await host.WaitForHistoryAsync(id, h => h.OfType<TaskFailed>().Count() == n && h.OfType<TimerCreated>().Count() == n);
            clock.AdvanceAndWake(host, TimeSpan.FromSeconds(waits[n - 1]) - TimeSpan.FromMilliseconds(1));
            var early = await DurableTimerTests.ProcessProbeAsync(host, id);
            Assert.Equal(n, early.OfType<TaskScheduled>().Count());
            clock.AdvanceAndWake(host, TimeSpan.FromMilliseconds(1));
        }

        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal("Decline|System.InvalidOperationException|card declined for order-1", done.ReadOutputAs<string>());
        Assert.Equal(
            [TestClock.T0, TestClock.T0.AddSeconds(10), TestClock.T0.AddSeconds(30), TestClock.T0.AddSeconds(55)],
            calls.ToArray());
        var history = await host.Client.GetHistoryAsync(id);
        Assert.Equal(4, history.OfType<TaskFailed>().Count());
        Assert.Equal([10.0, 20.0, 25.0], history.OfType<TimerCreated>().Select(t => (t.FireAt - t.Timestamp).TotalSeconds));
    }

    [Fact]
    public async Task CallActivityAsync_NonRetriableFailure_FailsAfterOneAttempt()
    {
        var clock = TestClock.Create();
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), r => r
            .AddOrchestrator<string, string>("CallsMissing", async (ctx, _) =>
            {
                try
                {
                    await ctx.CallActivityAsync("NotRegistered", null, new TaskOptions { Retry = Policy });
                    return "no failure";
                }
                catch (TaskFailedException e)
                {
                    return e.Failure.ErrorType;
                }
            }), clock);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("CallsMissing");

        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal("ActivityNotRegistered", done.ReadOutputAs<string>());
        Assert.Single((await host.Client.GetHistoryAsync(id)).OfType<TaskScheduled>());
    }

    private static void Register(DurableTaskRegistry registry, ConcurrentQueue<DateTimeOffset> calls, TimeProvider clock) => registry
        .AddActivity<string, string>("Decline", (_, order) =>
        {
            calls.Enqueue(clock.GetUtcNow());
            throw new InvalidOperationException($"card declined for {order}");
        })
        .AddOrchestrator<string, string>("Charge", async (ctx, order) =>
        {
            try
            {
                return await ctx.CallActivityAsync<string>("Decline", order, new TaskOptions { Retry = Policy }) ?? "";
            }
            catch (TaskFailedException e)
            {
                return $"{e.TaskName}|{e.Failure.ErrorType}|{e.Failure.Message}";
            }
        });
}
