using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.AzureStorage.Tests;

/// <summary>
/// A worker that dies holding work leaves no queue message behind; the partition sweep of whoever owns the
/// instance's partition next must find the work and hand it out again.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private readonly StoreTracker _stores = new();

    [Fact]
    public async Task Sweep_WorkerDiesHoldingHandedOverActivity_AnotherWorkerRunsItWithSecondDelivery()
    {
        var hub = Azurite.NewHubName();
        var first = (AzureStorageDurableStore)await _stores.CreateAsync(o => o.HubName = hub);
        var now = TimeProvider.System.GetUtcNow();
        await first.CreateInstanceAsync(new NewInstance("order-1", "Orch", "e1", null, now, now), []);
        var item = (await first.TryLockOrchestrationAsync(Lock()))!;
        var task = new ActivityTask("order-1:e1:task:0", "order-1", "e1", 0, "Charge", "\"card\"", now);
        var commit = await first.CommitAndLockActivitiesAsync(item, new OrchestrationCheckpoint
        {
            NewEvents = [new ExecutionStarted("Orch", "e1", null) { Timestamp = now }, new TaskScheduled("Charge", "\"card\"") { EventId = 0, Timestamp = now }],
            ConsumedMessageIds = [.. item.Messages.Select(m => m.Id)],
            Instance = new InstanceUpdate("e1", OrchestrationRuntimeStatus.Running, null, null, null, null, now, null),
            ActivityTasks = [task],
        }, Lock(), maxActivities: 1);
        Assert.Single(commit.LockedActivities);

        await first.DisposeAsync(); // The worker dies: its lease on the activity runs out with nobody to complete it.
        var second = (AzureStorageDurableStore)await _stores.CreateAsync(o =>
        {
            o.HubName = hub;
            o.SweepInterval = TimeSpan.FromSeconds(1);
            o.LeaseRenewInterval = TimeSpan.FromSeconds(1);
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        ActivityWorkItem? retaken = null;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (retaken is null && await tick.WaitForNextTickAsync(timeout.Token))
        {
            retaken = await second.TryLockActivityAsync(Lock(), timeout.Token);
        }

        Assert.Equal(task.Id, retaken!.Task.Id);
        Assert.Equal(2, retaken.DeliveryCount);
        Assert.Equal("\"card\"", retaken.Task.Input);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();

    /// <summary>A one-second lock at the real time: the sweep runs on the real clock.</summary>
    private static LockRequest Lock() => new("w", TimeProvider.System.GetUtcNow(), TimeSpan.FromSeconds(1));
}
