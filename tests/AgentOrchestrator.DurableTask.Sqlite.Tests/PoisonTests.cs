using System.Diagnostics;
using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>Abandon backoff and poison messages: bounded, visible, and (for orchestration messages) put back.</summary>
public sealed class PoisonTests
{
    [Fact]
    public async Task PoisonTask_AbandonedEveryTime_RetriedWithGrowingDelayThenSetAsideAndTheOrchestrationTold()
    {
        await using var hub = await TestHub.StartAsync(
            w => w.AddTaskOrchestrations(typeof(CatchingCaller)).AddTaskActivities(typeof(AbandonAlways)),
            s => (s.MaxDeliveryCount, s.AbandonBaseDelay, s.AbandonMaxDelay) = (3, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5)));
        var key = Guid.NewGuid().ToString("N");

        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(CatchingCaller), $"{typeof(AbandonAlways)}|{key}");
        var state = await hub.WaitAsync(instance);

        Assert.StartsWith($"\"{SqliteOrchestrationService.PoisonMessageErrorType}|", state.Output, StringComparison.Ordinal);
        Assert.EndsWith("|True\"", state.Output, StringComparison.Ordinal);
        var deliveries = AbandonAlways.Deliveries[key].Select(t => Stopwatch.GetElapsedTime(0, t)).ToList();
        Assert.Equal(3, deliveries.Count);
        Assert.True(deliveries[1] - deliveries[0] >= TimeSpan.FromMilliseconds(140), $"First retry after {deliveries[1] - deliveries[0]}.");
        Assert.True(deliveries[2] - deliveries[1] >= TimeSpan.FromMilliseconds(290), $"Second retry after {deliveries[2] - deliveries[1]}.");
        var poison = Assert.Single(await hub.Service.GetPoisonMessagesAsync(instance.InstanceId));
        Assert.Equal(PoisonMessageKind.ActivityTask, poison.Kind);
        Assert.Equal(typeof(AbandonAlways).ToString(), poison.Name);
        Assert.Equal(3, poison.DeliveryCount);
        await Assert.ThrowsAsync<InvalidOperationException>(() => hub.Service.ResubmitPoisonMessageAsync(poison.Id));
    }

    [Fact]
    public async Task PoisonMessage_AbandonedMoreThanAllowed_SetAsideListedAndPutBackRuns()
    {
        await using var hub = await TestHub.StartAsync(configure: s => (s.MaxDeliveryCount, s.AbandonBaseDelay) = (2, TimeSpan.Zero));
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), "poisoned-start", string.Empty);
        for (var i = 0; i < 2; i++)
        {
            var item = await ManualEpisode.LockAsync(hub.Service);
            await hub.Service.AbandonTaskOrchestrationWorkItemAsync(item);
            await hub.Service.ReleaseTaskOrchestrationWorkItemAsync(item);
        }

        var third = await hub.Service.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None);
        var poison = Assert.Single(await hub.Service.GetPoisonMessagesAsync());
        var putBack = await hub.Service.ResubmitPoisonMessageAsync(poison.Id);
        await hub.StartWorkerAsync(hub.Service, w => w.AddTaskOrchestrations(typeof(EventWaiter)).AddTaskActivities(typeof(Gate)));
        await hub.Client.RaiseEventAsync(instance, "go", "after the fix");
        var state = await hub.WaitAsync(instance);

        Assert.Null(third);
        Assert.Equal(PoisonMessageKind.OrchestrationMessage, poison.Kind);
        Assert.Equal("ExecutionStarted", poison.EventType);
        Assert.Equal(typeof(EventWaiter).ToString(), poison.Name);
        Assert.Equal(2, poison.DeliveryCount);
        Assert.True(putBack);
        Assert.Empty(await hub.Service.GetPoisonMessagesAsync());
        Assert.False(await hub.Service.ResubmitPoisonMessageAsync(poison.Id));
        Assert.Equal("\"after the fix\"", state.Output);
    }

    [Fact]
    public async Task Release_WorkerStoppedBeforeProcessing_GivesTheDeliveryBack()
    {
        await using var hub = await TestHub.StartAsync();
        await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), string.Empty);

        var item = await ManualEpisode.LockAsync(hub.Service);
        var counted = hub.Count("SELECT delivery_count FROM inbox");
        await hub.Service.ReleaseTaskOrchestrationWorkItemAsync(item);

        Assert.Equal(1, counted);
        Assert.Equal(0, hub.Count("SELECT delivery_count FROM inbox"));
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM instances WHERE lock_token IS NOT NULL"));
    }
}
