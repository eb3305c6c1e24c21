using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Testing;

/// <summary>
/// The store contract, checked against every store. A store passes when it keeps checkpoints atomic,
/// guards them with the instance version, drops duplicate messages, and locks work exclusively.
/// </summary>
[Trait("Category", "Conformance")]
public abstract partial class StoreConformanceTests
{
    /// <summary>A fixed point in time the store-level tests run at.</summary>
    protected static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly OrchestrationRuntimeStatus[] Dedupe =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    /// <summary>Creates an empty, initialized store for one test.</summary>
    protected abstract Task<IDurableStore> CreateStoreAsync();

    [Fact]
    public async Task CreateInstance_New_IsPendingWithStartMessage()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("a"), Dedupe);

        var state = await store.GetInstanceAsync("a");
        Assert.NotNull(state);
        Assert.Equal(OrchestrationRuntimeStatus.Pending, state.RuntimeStatus);
        Assert.Equal("\"in\"", state.SerializedInput);
        var item = await store.TryLockOrchestrationAsync(Lock());
        Assert.NotNull(item);
        var start = Assert.IsType<ExecutionStarted>(Assert.Single(item.Messages).Event);
        Assert.Equal("Orch", start.Name);
    }

    [Fact]
    public async Task CreateInstance_ExistingRunning_ThrowsAndChangesNothing()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("a"), Dedupe);

        var error = await Assert.ThrowsAsync<InstanceAlreadyExistsException>(() => store.CreateInstanceAsync(NewInstance("a", input: "\"other\""), Dedupe));

        Assert.Equal("a", error.InstanceId);
        Assert.Equal("\"in\"", (await store.GetInstanceAsync("a"))!.SerializedInput);
    }

    [Fact]
    public async Task CreateInstance_ExistingCompleted_ReplacesHistoryAndInput()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("a"), Dedupe);
        var item = (await store.TryLockOrchestrationAsync(Lock()))!;
        await store.CommitOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Completed, [new ExecutionCompleted("1")]));

        await store.CreateInstanceAsync(NewInstance("a", input: "\"second\"", executionId: "e2"), Dedupe);

        var state = await store.GetInstanceAsync("a");
        Assert.Equal(OrchestrationRuntimeStatus.Pending, state!.RuntimeStatus);
        Assert.Equal("\"second\"", state.SerializedInput);
        Assert.Empty(await store.GetHistoryAsync("a"));
    }

    [Fact]
    public async Task SendMessage_UnknownInstance_ReturnsFalse()
    {
        var store = await CreateStoreAsync();
        var sent = await store.SendMessageAsync(Message("ghost", "m1", new EventRaised("x", null)));
        Assert.False(sent);
        Assert.Null(await store.TryLockOrchestrationAsync(Lock()));
    }

    [Fact]
    public async Task TryLockOrchestration_Locked_IsExclusiveUntilExpiry_ThenRedeliveredWithCount()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("a"), Dedupe);

        var first = await store.TryLockOrchestrationAsync(Lock());
        var second = await store.TryLockOrchestrationAsync(Lock(T0.AddSeconds(5)));
        var afterExpiry = await store.TryLockOrchestrationAsync(Lock(T0.AddMinutes(2)));

        Assert.Equal(1, Assert.Single(first!.Messages).DeliveryCount);
        Assert.Null(second);
        Assert.NotNull(afterExpiry);
        Assert.Equal(2, Assert.Single(afterExpiry.Messages).DeliveryCount);
    }

    [Fact]
    public async Task TryLockOrchestration_ManyConcurrentPollers_ExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("a"), Dedupe);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.TryLockOrchestrationAsync(Lock(worker: $"w{i}")))));

        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public async Task TryLockOrchestration_FutureMessage_NotDeliveredBeforeItsTime()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("a", startAt: T0.AddMinutes(10)), Dedupe);

        Assert.Null(await store.TryLockOrchestrationAsync(Lock(T0.AddMinutes(9))));
        Assert.NotNull(await store.TryLockOrchestrationAsync(Lock(T0.AddMinutes(10))));
    }

    [Fact]
    public async Task CommitOrchestration_StaleVersion_ThrowsAndWritesNothing()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("a"), Dedupe);
        var stale = (await store.TryLockOrchestrationAsync(Lock()))!;
        var fresh = (await store.TryLockOrchestrationAsync(Lock(T0.AddMinutes(2))))!;
        await store.CommitOrchestrationAsync(fresh, Checkpoint(fresh, OrchestrationRuntimeStatus.Running, [Started()]));

        var loser = Checkpoint(stale, OrchestrationRuntimeStatus.Completed, [Started(), new ExecutionCompleted("\"lost\"")]) with
        {
            ActivityTasks = [TaskFor("a", 0)],
        };
        await Assert.ThrowsAsync<OrchestrationConcurrencyException>(() => store.CommitOrchestrationAsync(stale, loser));

        Assert.Equal(OrchestrationRuntimeStatus.Running, (await store.GetInstanceAsync("a"))!.RuntimeStatus);
        Assert.Single(await store.GetHistoryAsync("a"));
        Assert.Null(await store.TryLockActivityAsync(Lock(T0.AddMinutes(3))));
    }

    [Fact]
    public async Task CommitOrchestration_WritesHistoryStatusTasksAndMessagesTogether()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("a"), Dedupe);
        await store.CreateInstanceAsync(NewInstance("b"), Dedupe);
        var item = (await LockInstanceAsync(store, "a"))!;

        var version = await store.CommitOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Running, [Started(), new TaskScheduled("Act", "1") { EventId = 0 }]) with
        {
            ActivityTasks = [TaskFor("a", 0)],
            Messages =
            [
                Message("b", "to-b", new EventRaised("ping", "2")),
                Message("a", "timer", new TimerFired(1, T0.AddHours(1)), T0.AddHours(1)),
                Message("ghost", "to-ghost", new EventRaised("ping", null)),
            ],
        });

        Assert.Equal(item.Version + 1, version);
        var state = await store.GetInstanceAsync("a");
        Assert.Equal(OrchestrationRuntimeStatus.Running, state!.RuntimeStatus);
        Assert.Equal(["ExecutionStarted", "TaskScheduled"], (await store.GetHistoryAsync("a")).Select(e => e.Kind));
        var task = await store.TryLockActivityAsync(Lock());
        Assert.Equal("Act", task!.Task.Name);
        Assert.Null(await store.GetInstanceAsync("ghost"));
        Assert.Null(await LockInstanceAsync(store, "a", T0.AddMinutes(59)));
        var timer = await LockInstanceAsync(store, "a", T0.AddHours(1));
        Assert.IsType<TimerFired>(Assert.Single(timer!.Messages).Event);
    }

    [Fact]
    public async Task CommitOrchestration_ManyEventsAtOnce_ReadBackInOrderAfterEarlierOnes()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("a"), Dedupe);
        var first = (await store.TryLockOrchestrationAsync(Lock()))!;
        var version = await store.CommitOrchestrationAsync(first, Checkpoint(first, OrchestrationRuntimeStatus.Running, [Started()]));
        await store.SendMessageAsync(Message("a", "go", new EventRaised("go", null)));
        var second = (await store.TryLockOrchestrationAsync(Lock()))!;

        // A fan-out: more events than any store writes with one statement or in one batch row.
        var scheduled = Enumerable.Range(0, 21).Select(i => (HistoryEvent)new TaskScheduled("Act", $"{i}") { EventId = i, Timestamp = T0 }).ToList();
        await store.CommitOrchestrationAsync(second, Checkpoint(second, OrchestrationRuntimeStatus.Running, scheduled));

        var history = await store.GetHistoryAsync("a");
        Assert.Equal(22, history.Count);
        Assert.IsType<ExecutionStarted>(history[0]);
        Assert.Equal(Enumerable.Range(0, 21).Select(i => $"{i}"), history.Skip(1).Cast<TaskScheduled>().Select(e => e.Input));
        Assert.Equal(first.Version + 1, version);
    }

    [Fact]
    public async Task CommitOrchestration_ConsumedMessagesAreGoneAndDuplicateIdsLandOnce()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("a"), Dedupe);
        var item = (await store.TryLockOrchestrationAsync(Lock()))!;
        await store.CommitOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Running, [Started()]));

        Assert.True(await store.SendMessageAsync(Message("a", "same", new EventRaised("x", "1"))));
        Assert.True(await store.SendMessageAsync(Message("a", "same", new EventRaised("x", "1"))));

        var next = (await store.TryLockOrchestrationAsync(Lock()))!;
        Assert.Equal("same", Assert.Single(next.Messages).Id);
    }

    [Fact]
    public async Task CompleteActivity_Twice_DeliversOneResult()
    {
        var store = await CreateStoreAsync();
        await StartWithTaskAsync(store, "a");
        var first = (await store.TryLockActivityAsync(Lock()))!;
        var again = (await store.TryLockActivityAsync(Lock(T0.AddMinutes(2))))!;
        Assert.Equal(2, again.DeliveryCount);

        var result = Message("a", "a:e1:result:0", new TaskCompleted(0, "\"done\""));
        await store.CompleteActivityAsync(first, result);
        await store.CompleteActivityAsync(again, result);

        var item = (await store.TryLockOrchestrationAsync(Lock(T0.AddMinutes(3))))!;
        Assert.IsType<TaskCompleted>(Assert.Single(item.Messages).Event);
        Assert.Null(await store.TryLockActivityAsync(Lock(T0.AddMinutes(10))));
    }

    [Fact]
    public async Task ActivityLock_RenewedAndAbandoned_BehavesAsLease()
    {
        var store = await CreateStoreAsync();
        await StartWithTaskAsync(store, "a");
        var item = (await store.TryLockActivityAsync(Lock()))!;

        Assert.True(await store.RenewActivityLockAsync(item, T0.AddMinutes(5)));
        Assert.Null(await store.TryLockActivityAsync(Lock(T0.AddMinutes(4))));
        await store.AbandonActivityAsync(item);
        var retaken = await store.TryLockActivityAsync(Lock(T0.AddMinutes(4)));

        Assert.NotNull(retaken);
        Assert.False(await store.RenewActivityLockAsync(item, T0.AddMinutes(9)));
    }

    [Fact]
    public async Task TryLockOrchestration_SuspendedInstance_GetsOnlyControlMessages()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("a"), Dedupe);
        var item = (await store.TryLockOrchestrationAsync(Lock()))!;
        await store.CommitOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Suspended, [Started(), new ExecutionSuspended(null)]));
        await store.SendMessageAsync(Message("a", "ev", new EventRaised("x", null)));

        Assert.Null(await store.TryLockOrchestrationAsync(Lock()));
        await store.SendMessageAsync(Message("a", "resume", new ExecutionResumed(null)));
        var resumed = await store.TryLockOrchestrationAsync(Lock());

        Assert.Equal("resume", Assert.Single(resumed!.Messages).Id);
    }

    [Fact]
    public async Task CommitOrchestration_ReplacesHistory_ForContinueAsNew()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("a"), Dedupe);
        var item = (await store.TryLockOrchestrationAsync(Lock()))!;
        await store.CommitOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Running, [Started(), new TimerCreated(T0) { EventId = 0 }]));
        await store.SendMessageAsync(Message("a", "ev", new EventRaised("x", null)));
        item = (await store.TryLockOrchestrationAsync(Lock()))!;

        await store.CommitOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Running, []) with { ReplacesHistory = true });

        Assert.Empty(await store.GetHistoryAsync("a"));
    }

    [Fact]
    public async Task CommitOrchestration_NewInstances_CreatedOnceAndDeadLettersRecorded()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("parent"), Dedupe);
        var item = (await store.TryLockOrchestrationAsync(Lock()))!;
        var child = NewInstance("child", parent: new ParentInstance("parent", "e1", 0));
        var poison = new DeadLetter("m9", "parent", DeadLetterKind.Orchestration, "EventRaised", "{}", 6, "too many", T0);

        await store.CommitOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Running, [Started()]) with
        {
            NewInstances = [child],
            DeadLetters = [poison],
        });
        await store.CreateInstanceAsync(NewInstance("child", input: "\"x\""), []);

        var state = await store.GetInstanceAsync("child");
        Assert.Equal("\"x\"", state!.SerializedInput);
        var letter = Assert.Single(await store.GetDeadLettersAsync("parent"));
        Assert.Equal("m9", letter.MessageId);
        Assert.Equal(6, letter.DeliveryCount);
    }

    [Fact]
    public async Task CompleteActivity_WithDeadLetter_RecordsIt()
    {
        var store = await CreateStoreAsync();
        await StartWithTaskAsync(store, "a");
        var item = (await store.TryLockActivityAsync(Lock()))!;
        var letter = new DeadLetter(item.Task.Id, "a", DeadLetterKind.Activity, "Act", null, 6, "poison", T0);

        await store.CompleteActivityAsync(item, Message("a", "r", new TaskFailed(0, new FailureDetails("PoisonMessage", "poison"))), letter);

        Assert.Equal(DeadLetterKind.Activity, Assert.Single(await store.GetDeadLettersAsync()).Kind);
    }

    [Fact]
    public async Task QueryInstances_FiltersAndPagesInCreationOrder()
    {
        var store = await CreateStoreAsync();
        for (var i = 0; i < 7; i++)
        {
            await store.CreateInstanceAsync(NewInstance($"q{i}", createdAt: T0.AddSeconds(i)) with { Name = i % 2 == 0 ? "Even" : "Odd" }, Dedupe);
        }

        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await store.QueryInstancesAsync(new InstanceQuery { Name = "Even", PageSize = 2, ContinuationToken = token });
            ids.AddRange(page.Instances.Select(m => m.InstanceId));
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(["q0", "q2", "q4", "q6"], ids);
        var recent = await store.QueryInstancesAsync(new InstanceQuery { CreatedFrom = T0.AddSeconds(5), InstanceIdPrefix = "q" });
        Assert.Equal(["q5", "q6"], recent.Instances.Select(m => m.InstanceId));
        var none = await store.QueryInstancesAsync(new InstanceQuery { Statuses = [OrchestrationRuntimeStatus.Completed] });
        Assert.Empty(none.Instances);
    }

    [Fact]
    public async Task PurgeInstances_DeletesOnlyTerminalInstances()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("done"), Dedupe);
        await store.CreateInstanceAsync(NewInstance("busy"), Dedupe);
        var item = (await LockInstanceAsync(store, "done"))!;
        await store.CommitOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Completed, [Started(), new ExecutionCompleted(null)]));

        var purged = await store.PurgeInstancesAsync(new PurgeFilter());

        Assert.Equal(1, purged);
        Assert.Null(await store.GetInstanceAsync("done"));
        Assert.Empty(await store.GetHistoryAsync("done"));
        Assert.NotNull(await store.GetInstanceAsync("busy"));
    }
}
