using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Testing;

/// <summary>The instance event log: append-only, gap-free sequence numbers, dedupe keys, deleted with its instance.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task AppendLog_ThenReadAfterSequence_ReturnsLaterRecordsInOrder()
    {
        var log = EventLog(await CreateStoreAsync());
        var first = await log.AppendLogAsync("s1", [Entry("turn.started", "1"), Entry("token", "Hel")]);
        var second = await log.AppendLogAsync("s1", [Entry("token", "lo")]);

        Assert.Equal([1L, 2L], first.Select(r => r.Sequence));
        Assert.Equal(3L, Assert.Single(second).Sequence);
        var resumed = await log.ReadLogAsync("s1", afterSequence: 1, maxCount: 10);
        Assert.Equal(["Hel", "lo"], resumed.Select(r => r.Data));
        Assert.Equal([2L, 3L], resumed.Select(r => r.Sequence));
        Assert.Equal(T0, resumed[0].Timestamp);
        Assert.Equal("token", resumed[0].Kind);
    }

    [Fact]
    public async Task AppendLog_RepeatedDedupeKey_StoresItOnceWithoutGap()
    {
        var log = EventLog(await CreateStoreAsync());
        await log.AppendLogAsync("s1", [Entry("tool.completed", "first", "t1:call1:completed")]);
        var repeat = await log.AppendLogAsync("s1", [Entry("tool.completed", "again", "t1:call1:completed"), Entry("turn.completed", "done", "t1:completed")]);

        var record = Assert.Single(repeat);
        Assert.Equal(2L, record.Sequence);
        var all = await log.ReadLogAsync("s1", 0, 10);
        Assert.Equal(["first", "done"], all.Select(r => r.Data));
    }

    [Fact]
    public async Task AppendLog_ManyEntriesWithAKeyRepeatedInTheSameAppend_StoresTheFirstInOrderWithoutGap()
    {
        var log = EventLog(await CreateStoreAsync());
        await log.AppendLogAsync("s1", [Entry("turn.started", "old", "k0")]);
        IReadOnlyList<InstanceLogEntry> entries =
        [
            Entry("transcript", "again", "k0"), // already in the log
            .. Enumerable.Range(1, 19).Select(i => Entry("token", $"t{i}", i % 5 == 0 ? null : $"k{i}")),
            Entry("token", "repeat", "k3"), // earlier in this append
        ];

        var stored = await log.AppendLogAsync("s1", entries);

        Assert.Equal(Enumerable.Range(1, 19).Select(i => $"t{i}"), stored.Select(r => r.Data));
        Assert.Equal(Enumerable.Range(2, 19).Select(i => (long)i), stored.Select(r => r.Sequence));
        Assert.Equal(["old", .. Enumerable.Range(1, 19).Select(i => $"t{i}")], (await log.ReadLogAsync("s1", 0, 100)).Select(r => r.Data));
    }

    [Fact]
    public async Task ReadLog_PageAndOtherInstance_AreIndependent()
    {
        var log = EventLog(await CreateStoreAsync());
        await log.AppendLogAsync("s1", [.. Enumerable.Range(0, 5).Select(i => Entry("token", $"a{i}"))]);
        await log.AppendLogAsync("s2", [Entry("token", "b0")]);

        Assert.Equal(["a0", "a1"], (await log.ReadLogAsync("s1", 0, 2)).Select(r => r.Data));
        Assert.Equal(1L, Assert.Single(await log.ReadLogAsync("s2", 0, 10)).Sequence);
        Assert.Empty(await log.ReadLogAsync("s1", 5, 10));
        Assert.Empty(await log.ReadLogAsync("missing", 0, 10));
    }

    [Fact]
    public async Task ReadLog_OfOneKind_SkipsOthersAndKeepsSequences()
    {
        var log = EventLog(await CreateStoreAsync());
        await log.AppendLogAsync("s1", [Entry("token", "a"), Entry("transcript", "user"), Entry("token", "b"), Entry("transcript", "assistant")]);

        var transcript = await log.ReadLogAsync("s1", 0, 10, "transcript");

        Assert.Equal([2L, 4L], transcript.Select(r => r.Sequence));
        Assert.Equal(["assistant"], (await log.ReadLogAsync("s1", 2, 10, "transcript")).Select(r => r.Data));
    }

    [Fact]
    public async Task AppendLog_ConcurrentWriters_SequenceHasNoGapsOrDuplicates()
    {
        var log = EventLog(await CreateStoreAsync());
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await log.AppendLogAsync("s1", [Entry("token", $"{w}:{i}")]);
            }
        })));

        var all = await log.ReadLogAsync("s1", 0, 1000);
        Assert.Equal(Enumerable.Range(1, 80).Select(i => (long)i), all.Select(r => r.Sequence));
        Assert.Equal(80, all.Select(r => r.Data).Distinct().Count());
    }

    [Fact]
    public async Task PurgeInstance_DeletesItsLog()
    {
        var store = await CreateStoreAsync();
        var log = EventLog(store);
        await store.CreateInstanceAsync(NewInstance("s1"), Dedupe);
        var item = (await LockInstanceAsync(store, "s1"))!;
        await store.CommitOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Completed, [Started()]));
        await log.AppendLogAsync("s1", [Entry("turn.completed", "x")]);

        Assert.Equal(1, await store.PurgeInstancesAsync(new PurgeFilter { InstanceId = "s1" }));

        Assert.Empty(await log.ReadLogAsync("s1", 0, 10));
    }

    [Fact]
    public async Task CommitOrchestration_WithLogEntries_AppendsThemAfterEarlierRecordsAndSkipsKnownKeys()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("s1"), Dedupe);
        await store.AppendLogAsync("s1", [Entry("tool.started", "a1", "k:started")]);
        var item = (await LockInstanceAsync(store, "s1"))!;

        await store.CommitOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Running, [Started()]) with
        {
            LogEntries = [Entry("tool.started", "again", "k:started"), Entry("turn.started", "t1", "k:turn"), Entry("usage", "u1")],
        });

        var all = await store.ReadLogAsync("s1", 0, 10);
        Assert.Equal(["a1", "t1", "u1"], all.Select(r => r.Data));
        Assert.Equal([1L, 2L, 3L], all.Select(r => r.Sequence));
        Assert.Single(await store.GetHistoryAsync("s1"));
    }

    /// <summary>
    /// Whether a refused checkpoint leaves its log entries unwritten. Stores that append them in a write of their own,
    /// just before the checkpoint (allowed by <see cref="OrchestrationCheckpoint.LogEntries"/>), return false.
    /// </summary>
    protected virtual bool CheckpointLogIsAtomic => true;

    [Fact]
    public async Task CommitOrchestration_Refused_WritesNoLogEntriesWhenAtomic_AndTheRetryAddsNoneTwice()
    {
        var store = await CreateStoreAsync();
        await store.CreateInstanceAsync(NewInstance("s1"), Dedupe);
        var item = (await store.TryLockOrchestrationAsync(Lock()))!;
        var entries = new[] { Entry("turn.started", "t1", "k:turn") };
        var wrongVersion = item with { Version = item.Version + 1 };

        await Assert.ThrowsAsync<OrchestrationConcurrencyException>(() => store.CommitOrchestrationAsync(
            wrongVersion, Checkpoint(item, OrchestrationRuntimeStatus.Running, [Started()]) with { LogEntries = entries }));
        if (CheckpointLogIsAtomic)
        {
            Assert.Empty(await store.ReadLogAsync("s1", 0, 10));
        }

        await store.CommitOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Running, [Started()]) with { LogEntries = entries });
        Assert.Equal(["t1"], (await store.ReadLogAsync("s1", 0, 10)).Select(r => r.Data));
    }

    private static IInstanceEventLog EventLog(IDurableStore store)
        => Assert.IsAssignableFrom<IInstanceEventLog>(store);

    private static InstanceLogEntry Entry(string kind, string data, string? key = null) => new(kind, data, T0, key);
}
