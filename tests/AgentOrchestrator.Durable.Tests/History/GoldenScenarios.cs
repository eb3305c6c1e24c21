using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrchestrator.Durable.Tests.History;

/// <summary>
/// The representative orchestrations whose recorded histories are checked in under Histories/: the code here is
/// "the current orchestrator code" that every golden history must keep replaying against.
/// </summary>
internal static class GoldenScenarios
{
    /// <summary>One checked-in history: the file, the instance it records, and the output its replay must produce.</summary>
    public sealed record Scenario(string File, string InstanceId, string ExpectedOutput, Func<DurableTestHost, FakeTimeProvider, Task> Drive);

    public static readonly IReadOnlyList<Scenario> All =
    [
        new("activity-chain-with-retry.json", "golden-chain", "\"4:ok on task 4\"", async (host, clock) =>
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync("GoldenChain", 1, Id("golden-chain"));
            await host.WaitForHistoryAsync("golden-chain", h => h.OfType<TimerCreated>().Any());
            clock.AdvanceAndWake(host, TimeSpan.FromSeconds(1));
        }),
        new("timer-and-event.json", "golden-approval", "\"approved by ana\"", async (host, clock) =>
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync("GoldenApproval", "refund", Id("golden-approval"));
            await host.WaitForHistoryAsync("golden-approval", h => h.OfType<TimerCreated>().Any());
            clock.AdvanceAndWake(host, TimeSpan.FromHours(1));
            await host.WaitForHistoryAsync("golden-approval", h => h.OfType<TimerCreated>().Count() == 2);
            await host.Client.RaiseEventAsync("golden-approval", "approve", "ana");
        }),
        new("sub-orchestration.parent.json", "golden-parent", "11", async (host, _) =>
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync("GoldenParent", 5, Id("golden-parent"));
            await host.WaitForCompletionAsync("golden-parent");
        }),
        new("sub-orchestration.child.json", "golden-parent:child", "10", (host, _) => host.WaitForCompletionAsync("golden-parent:child")),
        new("continue-as-new.json", "golden-counter", "\"2:c\"", async (host, clock) =>
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync("GoldenCounter", 0, Id("golden-counter"));
            await host.WaitForHistoryAsync("golden-counter", h => h.OfType<TimerCreated>().Any());
            foreach (var tick in new[] { "a", "b", "c" })
            {
                await host.Client.RaiseEventAsync("golden-counter", "tick", tick);
            }

            await host.WaitForHistoryAsync("golden-counter", h => h.OfType<EventRaised>().Count() == 3);
            clock.AdvanceAndWake(host, TimeSpan.FromMinutes(1));
        }),
        new("failed-activity-handled.json", "golden-refund", "\"compensated: refunded order-9 after: card declined\"", async (host, _) =>
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync("GoldenRefund", "order-9", Id("golden-refund"));
        }),
    ];

    public static void Register(DurableTaskRegistry registry) => registry
        .AddActivity<int, int>("Double", (_, x) => Task.FromResult(x * 2))
        .AddActivity<string, string>("Flaky", (ctx, _) => ctx.TaskId == 2
            ? throw new InvalidOperationException("first attempt fails")
            : Task.FromResult($"ok on task {ctx.TaskId}"))
        .AddActivity<string, string>("Charge", (_, _) => throw new InvalidOperationException("card declined"))
        .AddActivity<string, string>("Refund", (_, order) => Task.FromResult($"refunded {order}"))
        .AddOrchestrator<int, string>("GoldenChain", async (ctx, x) =>
        {
            var value = await ctx.CallActivityAsync<int>("Double", x);
            value = await ctx.CallActivityAsync<int>("Double", value);
            var flaky = await ctx.CallActivityAsync<string>("Flaky", "k", new TaskOptions { Retry = new RetryPolicy(3, TimeSpan.FromSeconds(1)) });
            return $"{value}:{flaky}";
        })
        .AddOrchestrator<string, string>("GoldenApproval", async (ctx, _) =>
        {
            await ctx.CreateTimer(TimeSpan.FromHours(1));
            try
            {
                return $"approved by {await ctx.WaitForExternalEvent<string>("approve", TimeSpan.FromDays(1))}";
            }
            catch (TimeoutException)
            {
                return "timed out";
            }
        })
        .AddOrchestrator<int, int>("GoldenParent", async (ctx, x) =>
            await ctx.CallSubOrchestratorAsync<int>("GoldenChild", x, new SubOrchestrationOptions { InstanceId = $"{ctx.InstanceId}:child" }) + 1)
        .AddOrchestrator<int, int>("GoldenChild", async (ctx, x) => await ctx.CallActivityAsync<int>("Double", x))
        .AddOrchestrator<int, string>("GoldenCounter", async (ctx, n) =>
        {
            if (n == 0)
            {
                await ctx.CreateTimer(TimeSpan.FromMinutes(1));
            }

            var tick = await ctx.WaitForExternalEvent<string>("tick");
            if (n < 2)
            {
                ctx.ContinueAsNew(n + 1);
            }

            return $"{n}:{tick}";
        })
        .AddOrchestrator<string, string>("GoldenRefund", async (ctx, order) =>
        {
            try
            {
                await ctx.CallActivityAsync<string>("Charge", order);
                return "charged";
            }
            catch (TaskFailedException e)
            {
                return $"compensated: {await ctx.CallActivityAsync<string>("Refund", order)} after: {e.Failure.Message}";
            }
        });

    private static StartOrchestrationOptions Id(string instanceId) => new() { InstanceId = instanceId };
}
