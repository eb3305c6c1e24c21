using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.Tests.Orchestration;

/// <summary>WaitForExternalEvent with a timeout, against a fake clock.</summary>
public sealed class ExternalEventTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    [Fact]
    public async Task WaitForExternalEvent_ClockPassesTimeout_ThrowsTimeoutException()
    {
        var clock = TestClock.Create();
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), Register, clock);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval");
        await host.WaitForHistoryAsync(id, h => h.OfType<TimerCreated>().Any());

        clock.AdvanceAndWake(host, Timeout - TimeSpan.FromSeconds(1));
        var beforeTimeout = await DurableTimerTests.ProcessProbeAsync(host, id);
        clock.AdvanceAndWake(host, TimeSpan.FromSeconds(1));
        var done = await host.WaitForCompletionAsync(id);

        Assert.DoesNotContain(beforeTimeout, e => e is TimerFired);
        Assert.Equal($"timed out at {TestClock.T0 + Timeout:O}", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task WaitForExternalEvent_EventBeforeTimeout_ReturnsPayloadAndLaterTimerChangesNothing()
    {
        var clock = TestClock.Create();
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), Register, clock);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval");
        await host.WaitForHistoryAsync(id, h => h.OfType<TimerCreated>().Any());

        clock.AdvanceAndWake(host, TimeSpan.FromMinutes(10));
        await host.Client.RaiseEventAsync(id, "approve", "approved by ana");
        var done = await host.WaitForCompletionAsync(id);
        clock.AdvanceAndWake(host, Timeout);
        var after = await host.Client.GetInstanceAsync(id);

        Assert.Equal("approved by ana", done.ReadOutputAs<string>());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, after!.RuntimeStatus);
        Assert.Equal("approved by ana", after.ReadOutputAs<string>());
    }

    [Fact]
    public async Task WaitForExternalEvent_EventRaisedBeforeWaiting_IsBufferedAndDelivered()
    {
        var clock = TestClock.Create();
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), r => r
            .AddOrchestrator<string, string>("LateWaiter", async (ctx, _) =>
            {
                await ctx.CreateTimer(TimeSpan.FromMinutes(1));
                return await ctx.WaitForExternalEvent<string>("approve", Timeout) ?? "";
            }), clock);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("LateWaiter");
        await host.WaitForHistoryAsync(id, h => h.OfType<TimerCreated>().Any());

        await host.Client.RaiseEventAsync(id, "approve", "early");
        await host.WaitForHistoryAsync(id, h => h.OfType<EventRaised>().Any());
        clock.AdvanceAndWake(host, TimeSpan.FromMinutes(1));

        Assert.Equal("early", (await host.WaitForCompletionAsync(id)).ReadOutputAs<string>());
    }

    private static void Register(DurableTaskRegistry registry) => registry.AddOrchestrator<string, string>("Approval", async (ctx, _) =>
    {
        try
        {
            return await ctx.WaitForExternalEvent<string>("approve", Timeout) ?? "";
        }
        catch (TimeoutException)
        {
            return $"timed out at {ctx.CurrentUtcDateTime:O}";
        }
    });
}
