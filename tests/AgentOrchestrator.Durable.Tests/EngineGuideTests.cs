using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;
using AgentOrchestrator.Durable.Tests.Guide;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentOrchestrator.Durable.Tests;

/// <summary>The snippets of docs/ENGINE.md, run as written: if this test breaks, fix the guide too.</summary>
public sealed class EngineGuideTests
{
    [Fact]
    public async Task GuideExample_HostedWorker_ChargesWaitsForApprovalAndCompletes()
    {
        // docs/ENGINE.md "Host the worker"
        var builder = Host.CreateApplicationBuilder();
        builder.Services
            .AddDurableTask(OrderTasks.Register, worker => worker.MaxConcurrentActivities = 16)
            .UseInMemoryStore();
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<DurableTaskClient>();

        // docs/ENGINE.md "Start, signal and wait"
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var id = await client.ScheduleNewOrchestrationInstanceAsync("PlaceOrder", new Order("o-1", 40m), cancellationToken: timeout.Token);
        await client.RaiseEventAsync(id, "approve", "ana", cancellationToken: timeout.Token);
        var done = await client.WaitForInstanceCompletionAsync(id, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal($"charged o-1 (key {id}:{done.ExecutionId}:0), approved by ana, shipped as o-1:10", done.ReadOutputAs<string>());
        var history = await client.GetHistoryAsync(id, timeout.Token);
        Assert.Contains(history, e => e is SubOrchestrationCompleted);
        await host.StopAsync(timeout.Token);
    }

    [Fact]
    public async Task GuideExample_NoApproval_RefundsAfterTimeout()
    {
        var clock = TestClock.Create();
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), OrderTasks.Register, clock);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("PlaceOrder", new Order("o-2", 10m));
        await host.WaitForHistoryAsync(id, h => h.OfType<TimerCreated>().Any());

        clock.AdvanceAndWake(host, TimeSpan.FromHours(24));
        var done = await host.WaitForCompletionAsync(id);

        Assert.StartsWith("refunded charged o-2", done.ReadOutputAs<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuideExample_Counter_ContinuesAsNewUntilDone()
    {
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), OrderTasks.Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("CountTo", new CountState(0, 3));

        Assert.Equal(3, (await host.WaitForCompletionAsync(id)).ReadOutputAs<int>());
    }
}
