using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Testing;

/// <summary>The optional handoff capability, checked against every store that offers it.</summary>
[Trait("Category", "Conformance")]
public abstract class HandoffConformanceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Creates an empty, initialized store that implements <see cref="IDurableStoreHandoff"/>.</summary>
    protected abstract Task<IDurableStore> CreateStoreAsync();

    [Fact]
    public async Task CommitAndLockActivities_LocksOnlyAsManyAsAsked_OthersStayForPollers()
    {
        var store = await CreateStoreAsync();
        var item = await StartAsync(store);
        var checkpoint = Checkpoint(item) with { ActivityTasks = [Task(0), Task(1), Task(2)] };

        var commit = await ((IDurableStoreHandoff)store).CommitAndLockActivitiesAsync(item, checkpoint, Lock(), maxActivities: 2);

        Assert.Equal(item.Version + 1, commit.Version);
        Assert.Equal([0, 1], commit.LockedActivities.Select(a => a.Task.TaskId));
        Assert.All(commit.LockedActivities, a => Assert.Equal(1, a.DeliveryCount));
        var polled = await store.TryLockActivityAsync(Lock());
        Assert.Equal(2, polled!.Task.TaskId);
        Assert.Null(await store.TryLockActivityAsync(Lock()));
    }

    [Fact]
    public async Task CommitAndLockActivities_StaleVersion_WritesAndLocksNothing()
    {
        var store = await CreateStoreAsync();
        var item = await StartAsync(store);
        await store.CommitOrchestrationAsync(item, Checkpoint(item));

        await Assert.ThrowsAsync<OrchestrationConcurrencyException>(() =>
            ((IDurableStoreHandoff)store).CommitAndLockActivitiesAsync(item, Checkpoint(item) with { ActivityTasks = [Task(0)] }, Lock(), 1));

        Assert.Null(await store.TryLockActivityAsync(Lock()));
    }

    [Fact]
    public async Task CompleteAndLockInstance_UnlockedInstance_ReturnsItWithTheResult()
    {
        var store = await CreateStoreAsync();
        var item = await StartAsync(store);
        var commit = await ((IDurableStoreHandoff)store).CommitAndLockActivitiesAsync(item, Checkpoint(item) with { ActivityTasks = [Task(0)] }, Lock(), 1);
        var result = new OrchestrationMessage("a:e1:result:0", "a", "e1", new TaskCompleted(0, "1") { Timestamp = T0 }, T0);

        var next = await ((IDurableStoreHandoff)store).CompleteAndLockInstanceAsync(commit.LockedActivities[0], result, null, Lock());

        Assert.NotNull(next);
        Assert.Equal(item.Version + 1, next.Version);
        Assert.IsType<TaskCompleted>(Assert.Single(next.Messages).Event);
        Assert.Null(await store.TryLockOrchestrationAsync(Lock()));
    }

    [Fact]
    public async Task CompleteAndLockInstance_InstanceLockedElsewhere_DeliversResultButReturnsNull()
    {
        var store = await CreateStoreAsync();
        var item = await StartAsync(store);
        var commit = await ((IDurableStoreHandoff)store).CommitAndLockActivitiesAsync(item, Checkpoint(item) with { ActivityTasks = [Task(0)] }, Lock(), 1);
        await store.SendMessageAsync(new OrchestrationMessage("ev", "a", null, new EventRaised("x", null) { Timestamp = T0 }, T0));
        var elsewhere = await store.TryLockOrchestrationAsync(Lock());
        var result = new OrchestrationMessage("a:e1:result:0", "a", "e1", new TaskCompleted(0, "1") { Timestamp = T0 }, T0);

        var next = await ((IDurableStoreHandoff)store).CompleteAndLockInstanceAsync(commit.LockedActivities[0], result, null, Lock());

        Assert.NotNull(elsewhere);
        Assert.Null(next);
        await store.AbandonOrchestrationAsync(elsewhere);
        var later = await store.TryLockOrchestrationAsync(Lock());
        Assert.Contains(later!.Messages, m => m.Event is TaskCompleted);
    }

    private static LockRequest Lock() => new("w1", T0, TimeSpan.FromMinutes(1));

    private static ActivityTask Task(int id) => new($"a:e1:task:{id}", "a", "e1", id, "Act", null, T0);

    private static OrchestrationCheckpoint Checkpoint(OrchestrationWorkItem item) => new()
    {
        NewEvents = [new OrchestratorStarted { Timestamp = T0 }],
        ConsumedMessageIds = [.. item.Messages.Select(m => m.Id)],
        Instance = new InstanceUpdate("e1", OrchestrationRuntimeStatus.Running, null, null, null, null, T0, null),
    };

    private static async Task<OrchestrationWorkItem> StartAsync(IDurableStore store)
    {
        await store.CreateInstanceAsync(new NewInstance("a", "Orch", "e1", null, T0, T0), []);
        return (await store.TryLockOrchestrationAsync(Lock()))!;
    }
}
