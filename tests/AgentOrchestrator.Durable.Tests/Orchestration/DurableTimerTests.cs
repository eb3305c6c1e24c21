using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.Tests.Orchestration;

/// <summary>Durable timers against a fake clock: they fire when the clock passes their due time, not before, and survive a restart.</summary>
public sealed class DurableTimerTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromHours(1);

    [Fact]
    public async Task CreateTimer_ClockBeforeDueTime_DoesNotFire()
    {
        var clock = TestClock.Create();
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), Register, clock);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Nap");
        await host.WaitForHistoryAsync(id, h => h.OfType<TimerCreated>().Any());

        clock.AdvanceAndWake(host, Delay - TimeSpan.FromSeconds(1));
        var history = await ProcessProbeAsync(host, id);

        Assert.DoesNotContain(history, e => e is TimerFired);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task CreateTimer_ClockPassesDueTime_FiresAndOrchestratorSeesDueTime()
    {
        var clock = TestClock.Create();
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), Register, clock);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Nap");
        await host.WaitForHistoryAsync(id, h => h.OfType<TimerCreated>().Any());

        clock.AdvanceAndWake(host, Delay);
        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal(TestClock.T0 + Delay, done.ReadOutputAs<DateTimeOffset>());
        var created = Assert.Single((await host.Client.GetHistoryAsync(id)).OfType<TimerCreated>());
        Assert.Equal(TestClock.T0 + Delay, created.FireAt);
    }

    [Fact]
    public async Task CreateTimer_WorkerRestartedBeforeDueTime_FiresAfterRestartOnSameStore()
    {
        var clock = TestClock.Create();
        var store = new InMemoryDurableStore();
        string id;
        await using (var first = await DurableTestHost.StartAsync(store, Register, clock))
        {
            id = await first.Client.ScheduleNewOrchestrationInstanceAsync("Nap");
            await first.WaitForHistoryAsync(id, h => h.OfType<TimerCreated>().Any());
        }

        await using var second = await DurableTestHost.StartAsync(store, Register, clock);
        var beforeDue = await ProcessProbeAsync(second, id);
        clock.AdvanceAndWake(second, Delay);
        var done = await second.WaitForCompletionAsync(id);

        Assert.DoesNotContain(beforeDue, e => e is TimerFired);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(TestClock.T0 + Delay, done.ReadOutputAs<DateTimeOffset>());
    }

    /// <summary>
    /// Raises an event the orchestrator does not wait for and waits until an episode has recorded it. That episode
    /// took every message that was visible at the current clock time, so a due timer would have fired in it.
    /// </summary>
    internal static async Task<IReadOnlyList<HistoryEvent>> ProcessProbeAsync(DurableTestHost host, string id)
    {
        var probe = Guid.NewGuid().ToString("N");
        await host.Client.RaiseEventAsync(id, "probe", probe);
        return await host.WaitForHistoryAsync(id, h => h.OfType<EventRaised>().Any(e => e.Input is { } input && input.Contains(probe, StringComparison.Ordinal)));
    }

    private static void Register(DurableTaskRegistry registry) => registry.AddOrchestrator<string, DateTimeOffset>("Nap", async (ctx, _) =>
    {
        await ctx.CreateTimer(Delay);
        return ctx.CurrentUtcDateTime;
    });
}
