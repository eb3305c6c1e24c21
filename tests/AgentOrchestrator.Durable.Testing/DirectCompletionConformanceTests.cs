using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Testing;

/// <summary>The optional direct-completion capability, checked against every store that offers it.</summary>
[Trait("Category", "Conformance")]
public abstract class DirectCompletionConformanceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Creates an empty, initialized store that implements <see cref="IDurableStoreDirectCompletion"/> and <see cref="IDurableStoreHandoff"/>.</summary>
    protected abstract Task<IDurableStore> CreateStoreAsync();

    [Fact]
    public async Task CompleteActivityAndCommit_UnlockedInstance_CommitsInOneStepAndLocksTheNextTask()
    {
        var store = await CreateStoreAsync();
        var (instance, activity) = await RunningWithTaskAsync(store);

        var commit = await Direct(store).CompleteActivityAndCommitAsync(activity, instance, ResultCheckpoint(), Lock(), maxActivities: 1);

        Assert.Equal(instance.Version + 1, commit.Version);
        Assert.Equal(1, Assert.Single(commit.LockedActivities).Task.TaskId);
        Assert.Equal(commit.Version, (await store.GetInstanceAsync("a"))!.Version);
        var completed = Assert.Single((await store.GetHistoryAsync("a")).OfType<TaskCompleted>());
        Assert.Equal(0, completed.TaskScheduledId);
        Assert.False(await store.RenewActivityLockAsync(activity, T0.AddMinutes(5)));
        Assert.Null(await store.TryLockActivityAsync(Lock()));
        Assert.Null(await store.TryLockOrchestrationAsync(Lock())); // the result never went to the inbox
    }

    [Fact]
    public async Task CompleteActivityAndCommit_MessageWaitingInTheInbox_ThrowsAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var (instance, activity) = await RunningWithTaskAsync(store);
        await store.SendMessageAsync(new OrchestrationMessage("ev", "a", null, new EventRaised("x", null) { Timestamp = T0 }, T0));

        await Assert.ThrowsAsync<OrchestrationConcurrencyException>(() =>
            Direct(store).CompleteActivityAndCommitAsync(activity, instance, ResultCheckpoint(), Lock(), maxActivities: 1));

        await AssertNothingWrittenAsync(store, instance, activity);
        Assert.Equal("ev", Assert.Single((await store.TryLockOrchestrationAsync(Lock()))!.Messages).Id);
    }

    [Fact]
    public async Task CompleteActivityAndCommit_OnlyAFutureTimerWaiting_CommitsAndLeavesTheTimer()
    {
        var store = await CreateStoreAsync();
        var (instance, activity) = await RunningWithTaskAsync(store);
        var fireAt = T0.AddHours(1);
        await store.SendMessageAsync(new OrchestrationMessage("a:e1:timer:9", "a", "e1", new TimerFired(9, fireAt) { Timestamp = fireAt }, fireAt));

        var commit = await Direct(store).CompleteActivityAndCommitAsync(activity, instance, ResultCheckpoint(), Lock(), maxActivities: 0);

        Assert.Empty(commit.LockedActivities);
        Assert.NotNull(await store.TryLockActivityAsync(Lock())); // not locked for the caller: a poller finds it
        Assert.Null(await store.TryLockOrchestrationAsync(Lock()));
        var later = await store.TryLockOrchestrationAsync(Lock(fireAt));
        Assert.Equal((instance.Version + 1, "a:e1:timer:9"), (later!.Version, Assert.Single(later.Messages).Id));
    }

    [Fact]
    public async Task CompleteActivityAndCommit_VersionMoved_ThrowsAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var (instance, activity) = await RunningWithTaskAsync(store);
        var stale = instance with { Version = instance.Version - 1 };

        await Assert.ThrowsAsync<OrchestrationConcurrencyException>(() =>
            Direct(store).CompleteActivityAndCommitAsync(activity, stale, ResultCheckpoint(), Lock(), maxActivities: 1));

        await AssertNothingWrittenAsync(store, instance, activity);
    }

    [Fact]
    public async Task CompleteActivityAndCommit_InstanceLockedElsewhere_ThrowsAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var (instance, activity) = await RunningWithTaskAsync(store);
        // Another worker locks the instance for a message that, at the caller's clock, is not yet visible: only the lock is in the way.
        var soon = T0.AddSeconds(1);
        await store.SendMessageAsync(new OrchestrationMessage("ev", "a", null, new EventRaised("x", null) { Timestamp = soon }, soon));
        var elsewhere = await store.TryLockOrchestrationAsync(new LockRequest("w2", soon, TimeSpan.FromMinutes(1)));

        await Assert.ThrowsAsync<OrchestrationConcurrencyException>(() =>
            Direct(store).CompleteActivityAndCommitAsync(activity, instance, ResultCheckpoint(), Lock(), maxActivities: 1));

        Assert.NotNull(elsewhere);
        await AssertNothingWrittenAsync(store, instance, activity);
    }

    [Fact]
    public async Task CompleteActivityAndCommit_ActivityLockLost_ThrowsAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        var (instance, activity) = await RunningWithTaskAsync(store);
        var later = T0.AddMinutes(2); // the caller's lock expired and another worker took the task
        var other = await store.TryLockActivityAsync(new LockRequest("w2", later, TimeSpan.FromMinutes(1)));

        await Assert.ThrowsAsync<ActivityLockLostException>(() =>
            Direct(store).CompleteActivityAndCommitAsync(activity, instance, ResultCheckpoint(), Lock(later), maxActivities: 1));

        Assert.Equal(instance.Version, (await store.GetInstanceAsync("a"))!.Version);
        Assert.Equal(2, (await store.GetHistoryAsync("a")).Count);
        Assert.True(await store.RenewActivityLockAsync(other!, later.AddMinutes(1)));
        Assert.Null(await store.TryLockActivityAsync(Lock(later)));
    }

    private static async Task AssertNothingWrittenAsync(IDurableStore store, OrchestrationWorkItem instance, ActivityWorkItem activity)
    {
        Assert.Equal(instance.Version, (await store.GetInstanceAsync("a"))!.Version);
        Assert.Equal(2, (await store.GetHistoryAsync("a")).Count);
        Assert.True(await store.RenewActivityLockAsync(activity, T0.AddMinutes(1))); // still there, still ours
        Assert.Null(await store.TryLockActivityAsync(Lock())); // task 1 was not enqueued
    }

    private static IDurableStoreDirectCompletion Direct(IDurableStore store) => (IDurableStoreDirectCompletion)store;

    private static LockRequest Lock(DateTimeOffset? now = null) => new("w1", now ?? T0, TimeSpan.FromMinutes(1));

    private static ActivityTask Task(int id) => new($"a:e1:task:{id}", "a", "e1", id, "Act", null, T0);

    /// <summary>Instance "a" running with history [started, task 0 scheduled], task 0 locked for the caller, and the instance unlocked.</summary>
    private static async Task<(OrchestrationWorkItem Instance, ActivityWorkItem Activity)> RunningWithTaskAsync(IDurableStore store)
    {
        await store.CreateInstanceAsync(new NewInstance("a", "Orch", "e1", null, T0, T0), []);
        var item = (await store.TryLockOrchestrationAsync(Lock()))!;
        var checkpoint = new OrchestrationCheckpoint
        {
            NewEvents = [new ExecutionStarted("Orch", "e1", null) { Timestamp = T0 }, new TaskScheduled("Act", null) { EventId = 0, Timestamp = T0 }],
            ConsumedMessageIds = [.. item.Messages.Select(m => m.Id)],
            Instance = new InstanceUpdate("e1", OrchestrationRuntimeStatus.Running, null, null, null, null, T0, null),
            ActivityTasks = [Task(0)],
        };
        var commit = await ((IDurableStoreHandoff)store).CommitAndLockActivitiesAsync(item, checkpoint, Lock(), 1);
        var instance = new OrchestrationWorkItem("a", "e1", "Orch", OrchestrationRuntimeStatus.Running, commit.Version, [], "", default);
        return (instance, Assert.Single(commit.LockedActivities));
    }

    private static OrchestrationCheckpoint ResultCheckpoint() => new()
    {
        NewEvents = [new OrchestratorStarted { Timestamp = T0 }, new TaskCompleted(0, "1") { Timestamp = T0 }, new TaskScheduled("Act", null) { EventId = 1, Timestamp = T0 }],
        ConsumedMessageIds = [],
        Instance = new InstanceUpdate("e1", OrchestrationRuntimeStatus.Running, null, null, null, null, T0, null),
        ActivityTasks = [Task(1)],
    };
}
