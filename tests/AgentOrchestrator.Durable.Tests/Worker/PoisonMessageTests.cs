using System.Collections.Concurrent;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.Tests.Worker;

/// <summary>Messages that can never be processed are dead-lettered after MaxDeliveries, shown by the client, and never retried forever.</summary>
public sealed class PoisonMessageTests
{
    private const int MaxDeliveries = 3;

    [Fact]
    public async Task StartMessage_EpisodeAlwaysThrows_DeadLetteredAfterMaxDeliveriesAndInstanceFailed()
    {
        var runs = 0;
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), r => r
            .AddOrchestrator<string, string>("CrashesItsEpisode", (_, _) =>
            {
                Interlocked.Increment(ref runs);
                ThrowOutsideTheOrchestratorTask();
                return Task.FromResult("unreachable");
            }), configure: o => o.MaxDeliveries = MaxDeliveries);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("CrashesItsEpisode");

        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal("PoisonMessage", done.Failure!.ErrorType);
        Assert.Equal(MaxDeliveries, runs);
        var letter = Assert.Single(await host.Client.GetDeadLettersAsync(id));
        Assert.Equal((DeadLetterKind.Orchestration, nameof(ExecutionStarted), MaxDeliveries + 1), (letter.Kind, letter.Name, letter.DeliveryCount));
        Assert.Single((await host.Client.GetHistoryAsync(id)).OfType<ExecutionFailed>());
    }

    [Fact]
    public async Task ExternalEvent_StoreRefusesEveryCheckpointWithIt_DeadLetteredAndInstanceCarriesOn()
    {
        var store = new RejectingStore(new InMemoryDurableStore()) { MaxEventInput = 1000 };
        await using var host = await DurableTestHost.StartAsync(store, r => r
            .AddOrchestrator<string, string>("Inbox", async (ctx, _) => await ctx.WaitForExternalEvent<string>("note") ?? ""),
            configure: o => o.MaxDeliveries = MaxDeliveries);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Inbox");
        await host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await host.Client.RaiseEventAsync(id, "note", new string('x', 5000));
        for (var i = 0; i < MaxDeliveries; i++)
        {
            await store.WaitForRejectionAsync();
        }

        var letter = await WaitForDeadLetterAsync(host, id);
        await host.Client.RaiseEventAsync(id, "note", "short note");
        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal((DeadLetterKind.Orchestration, nameof(EventRaised), MaxDeliveries + 1), (letter.Kind, letter.Name, letter.DeliveryCount));
        Assert.Contains("xxxx", letter.Payload, StringComparison.Ordinal);
        Assert.Equal("short note", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ActivityTask_ResultRefusedUntilLockExpiresEachTime_DeadLetteredAndOrchestratorSeesPoisonFailure()
    {
        var clock = TestClock.Create();
        var store = new RejectingStore(new InMemoryDurableStore()) { RejectActivity = "Export" };
        var runs = new ConcurrentQueue<int>();
        await using var host = await DurableTestHost.StartAsync(store, r => r
            .AddActivity<string, string>("Export", (ctx, _) =>
            {
                runs.Enqueue(ctx.DeliveryCount);
                return Task.FromResult(new string('x', 100));
            })
            .AddOrchestrator<string, string>("Report", async (ctx, _) =>
            {
                try
                {
                    return await ctx.CallActivityAsync<string>("Export") ?? "";
                }
                catch (TaskFailedException e)
                {
                    return $"{e.Failure.ErrorType}: {e.Failure.Message}";
                }
            }), clock, o => o.MaxDeliveries = MaxDeliveries);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Report");

        for (var i = 0; i < MaxDeliveries; i++)
        {
            await store.WaitForRejectionAsync();
            clock.AdvanceAndWake(host, TimeSpan.FromSeconds(31)); // past the 30 s lock: the task is delivered again
        }

        var done = await host.WaitForCompletionAsync(id);

        Assert.StartsWith("PoisonMessage: Activity 'Export' was dead-lettered after 4 deliveries", done.ReadOutputAs<string>(), StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], runs.ToArray());
        var letter = Assert.Single(await host.Client.GetDeadLettersAsync(id));
        Assert.Equal((DeadLetterKind.Activity, "Export", MaxDeliveries + 1), (letter.Kind, letter.Name, letter.DeliveryCount));
    }

    private static async Task<DeadLetter> WaitForDeadLetterAsync(DurableTestHost host, string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var changed = host.Notifier.InstanceChangedSignal;
            if ((await host.Client.GetDeadLettersAsync(id, cancellationToken: timeout.Token)).FirstOrDefault() is { } letter)
            {
                return letter;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    /// <summary>An async void method: its exception escapes to the episode's scheduler, outside the orchestrator's task.</summary>
    private static async void ThrowOutsideTheOrchestratorTask()
    {
        await Task.CompletedTask;
        throw new InvalidOperationException("thrown on the episode's scheduler");
    }
}
