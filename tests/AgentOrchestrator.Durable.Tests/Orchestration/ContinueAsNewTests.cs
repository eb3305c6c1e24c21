using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.Tests.Orchestration;

/// <summary>Continue-as-new and the external events that arrived but were not yet waited for.</summary>
public sealed class ContinueAsNewTests
{
    [Fact]
    public async Task ContinueAsNew_EventsBufferedBeforeRestart_CarriedToNextExecutionsInOrder()
    {
        var clock = TestClock.Create();
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), r => Register(r, preserve: true), clock);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Collector", Array.Empty<string>());
        await host.WaitForHistoryAsync(id, h => h.OfType<TimerCreated>().Any());

        foreach (var item in new[] { "a", "b", "c" })
        {
            await host.Client.RaiseEventAsync(id, "item", item);
        }

        await host.WaitForHistoryAsync(id, h => h.OfType<EventRaised>().Count() == 3);
        clock.AdvanceAndWake(host, TimeSpan.FromMinutes(1));
        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal(["a", "b", "c"], done.ReadOutputAs<string[]>()!);
        var history = await host.Client.GetHistoryAsync(id);
        Assert.Equal("""["a","b"]""", Assert.Single(history.OfType<ExecutionStarted>()).Input);
    }

    [Fact]
    public async Task ContinueAsNew_WithoutPreservingEvents_DropsBufferedEventsAndKeepsWaiting()
    {
        var clock = TestClock.Create();
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), r => Register(r, preserve: false), clock);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Collector", Array.Empty<string>());
        await host.WaitForHistoryAsync(id, h => h.OfType<TimerCreated>().Any());
        await host.Client.RaiseEventAsync(id, "item", "a");
        await host.Client.RaiseEventAsync(id, "item", "b");
        await host.WaitForHistoryAsync(id, h => h.OfType<EventRaised>().Count() == 2);

        clock.AdvanceAndWake(host, TimeSpan.FromMinutes(1));
        var next = await host.WaitForHistoryAsync(id, h => h.OfType<ExecutionStarted>().Any(e => e.Input == """["a"]"""));
        var afterProbe = await DurableTimerTests.ProcessProbeAsync(host, id);

        Assert.DoesNotContain(next, e => e is EventRaised);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);
        Assert.Single(afterProbe.OfType<EventRaised>());
    }

    private static void Register(DurableTaskRegistry registry, bool preserve) => registry
        .AddOrchestrator<string[], string[]>("Collector", async (ctx, items) =>
        {
            var list = (items ?? []).ToList();
            if (list.Count == 0)
            {
                await ctx.CreateTimer(TimeSpan.FromMinutes(1));
            }

            list.Add(await ctx.WaitForExternalEvent<string>("item") ?? "");
            if (list.Count < 3)
            {
                ctx.ContinueAsNew(list, preserve);
            }

            return [.. list];
        });
}
