using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrchestrator.Durable.AzureStorage.Tests;

/// <summary>
/// The instance event log on Azure Storage beyond the shared contract: writers in several processes (one store
/// each, as separate processes would have), appends past the entity-group transaction limits, a writer dying
/// part-way, and what purge and replace leave behind.
/// </summary>
public sealed class AzureStorageEventLogTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly StoreTracker _stores = new();

    [Fact]
    public async Task AppendLog_WritersOnTwoStores_NumberEveryRecordOnceWithoutGaps()
    {
        var hub = Azurite.NewHubName();
        var stores = new[] { Log(await _stores.CreateAsync(o => o.HubName = hub)), Log(await _stores.CreateAsync(o => o.HubName = hub)) };
        var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            var returned = new List<InstanceLogRecord>();
            for (var i = 0; i < 12; i++)
            {
                var entries = Enumerable.Range(0, 1 + (i % 3)).Select(j => Entry("token", $"w{w}:{i}:{j}")).ToList();
                returned.AddRange(await stores[w % 2].AppendLogAsync("chat", entries));
            }

            return returned;
        })).ToList();
        var returnedByWriter = await Task.WhenAll(writers);

        var all = await stores[0].ReadLogAsync("chat", 0, 1000);
        var total = 6 * (4 * (1 + 2 + 3));
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), all.Select(r => r.Sequence));
        Assert.Equal(total, all.Select(r => r.Data).Distinct().Count());
        Assert.Equal(all.Select(r => r.Sequence), returnedByWriter.SelectMany(r => r).Select(r => r.Sequence).Order());
        for (var w = 0; w < 6; w++)
        {
            var own = all.Where(r => r.Data.StartsWith($"w{w}:", StringComparison.Ordinal)).Select(r => r.Data);
            Assert.Equal(returnedByWriter[w].Select(r => r.Data), own); // Each writer's records in the order it wrote them.
        }
    }

    [Fact]
    public async Task AppendLog_250LargeEntriesOverSeveralTransactions_ReaderSeesAllOrNothing()
    {
        var hub = Azurite.NewHubName();
        var writer = Log(await _stores.CreateAsync(o => o.HubName = hub));
        var reader = Log(await _stores.CreateAsync(o => o.HubName = hub));
        // 250 rows of 15,000 characters (7.5 MB, past both the 100-entity and the 4 MiB transaction limits), and two
        // payloads past the 64 KiB property limit.
        var entries = Enumerable.Range(0, 250)
            .Select(i => Entry(i % 2 == 0 ? "token" : "step", $"{i}:" + new string((char)('a' + (i % 26)), i is 7 or 200 ? 100_000 : 15_000)))
            .ToList();

        var append = writer.AppendLogAsync("big", entries);
        while (!append.IsCompleted)
        {
            var firstVisible = (await reader.ReadLogAsync("big", 0, 1)).Count > 0;
            var lastVisible = (await reader.ReadLogAsync("big", 249, 10)).Count > 0;
            Assert.True(!firstVisible || lastVisible, "the reader saw the start of the append before its end");
        }

        var stored = await append;
        Assert.Equal(Enumerable.Range(1, 250).Select(i => (long)i), stored.Select(r => r.Sequence));
        var all = await reader.ReadLogAsync("big", 0, 1000);
        Assert.Equal(entries.Select(e => e.Data), all.Select(r => r.Data));
        Assert.Equal(entries.Where(e => e.Kind == "step").Select(e => e.Data), (await reader.ReadLogAsync("big", 0, 1000, "step")).Select(r => r.Data));
    }

    [Fact]
    public async Task AppendLog_SplitAppendRepeatedWithOneMore_StoresOnlyTheNewEntry()
    {
        var log = Log(await _stores.CreateAsync());
        var keyed = Enumerable.Range(0, 150).Select(i => Entry("tool.completed", $"call {i}", $"t1:call{i}:completed")).ToList();
        await log.AppendLogAsync("retry", keyed);

        var repeat = await log.AppendLogAsync("retry", [.. keyed, Entry("turn.completed", "done", "t1:completed")]);

        var record = Assert.Single(repeat);
        Assert.Equal(151L, record.Sequence);
        var all = await log.ReadLogAsync("retry", 0, 1000);
        Assert.Equal([.. keyed.Select(e => e.Data), "done"], all.Select(r => r.Data));
    }

    [Fact]
    public async Task AppendLog_WriterDiesPartWayThroughSplitAppend_NextWriterTakesOverAndReadersSeeNoneOfIt()
    {
        var hub = Azurite.NewHubName();
        var dying = new CancellationTokenSource();
        var crashed = Log(await _stores.CreateAsync(o =>
        {
            o.HubName = hub;
            o.PipelinePolicies.Add(new CancelOnSecondBatch(dying));
        }));
        var later = new FakeTimeProvider(TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(1)); // Past its reservation.
        var survivor = Log(await _stores.CreateAsync(o => o.HubName = hub, later));
        var half = Enumerable.Range(0, 120).Select(i => Entry("token", $"lost {i}", $"lost{i}")).ToList();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => crashed.AppendLogAsync("chat", half, dying.Token));
        Assert.Empty(await survivor.ReadLogAsync("chat", 0, 1000));

        var stored = await survivor.AppendLogAsync("chat", [Entry("token", "a"), Entry("token", "b", "lost0")]);

        Assert.Equal([1L, 2L], stored.Select(r => r.Sequence));
        Assert.Equal(["a", "b"], (await survivor.ReadLogAsync("chat", 0, 1000)).Select(r => r.Data));
    }

    [Fact]
    public async Task PurgeInstance_DeletesLogRowsAndSpilledPayloads_AndANewLogStartsAtOne()
    {
        var options = Azurite.Options();
        var store = await _stores.CreateAsync(o => o.HubName = options.HubName);
        await CompleteInstanceAsync(store, "done");
        await Log(store).AppendLogAsync("done", [Entry("token", new string('x', 100_000)), Entry("turn.completed", "t1", "t1:completed")]);

        Assert.Equal(1, await store.PurgeInstancesAsync(new PurgeFilter { InstanceId = "done" }));

        Assert.Empty(await Log(store).ReadLogAsync("done", 0, 10));
        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient($"{options.HubName}Instances");
        Assert.Empty(await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"done"}")).ToListAsync());
        var blobs = new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient($"{options.HubName.ToLowerInvariant()}-payloads");
        Assert.Empty(await blobs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "done/", CancellationToken.None).ToListAsync());
        var again = await Log(store).AppendLogAsync("done", [Entry("turn.completed", "t1 again", "t1:completed")]);
        Assert.Equal(1L, Assert.Single(again).Sequence);
    }

    [Fact]
    public async Task CreateInstance_ReplacingAFinishedInstance_StartsAnEmptyLog()
    {
        var store = await _stores.CreateAsync();
        await CompleteInstanceAsync(store, "session");
        await Log(store).AppendLogAsync("session", [Entry("token", "old"), Entry("turn.completed", "old turn", "t1:completed")]);

        await store.CreateInstanceAsync(new NewInstance("session", "Orch", "e2", null, T0, T0), []);

        Assert.Empty(await Log(store).ReadLogAsync("session", 0, 10));
        var stored = await Log(store).AppendLogAsync("session", [Entry("turn.completed", "new turn", "t1:completed")]);
        Assert.Equal(1L, Assert.Single(stored).Sequence);
        Assert.Equal(["new turn"], (await Log(store).ReadLogAsync("session", 0, 10)).Select(r => r.Data));
    }

    [Fact]
    public async Task CommitOrchestration_AfterAppendsFromAnotherStore_CommitsAndKeepsTheLog()
    {
        var hub = Azurite.NewHubName();
        var worker = await _stores.CreateAsync(o => o.HubName = hub);
        var activityHost = Log(await _stores.CreateAsync(o => o.HubName = hub));
        await worker.CreateInstanceAsync(new NewInstance("busy", "Orch", "e1", null, T0, T0), []);
        var item = (await worker.TryLockOrchestrationAsync(Lock()))!;

        await activityHost.AppendLogAsync("busy", [Entry("token", "streamed while locked")]);
        var version = await worker.CommitOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Running));

        Assert.Equal(item.Version + 1, version);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await worker.GetInstanceAsync("busy"))!.RuntimeStatus);
        Assert.Equal(["streamed while locked"], (await activityHost.ReadLogAsync("busy", 0, 10)).Select(r => r.Data));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();

    private static IInstanceEventLog Log(IDurableStore store) => Assert.IsAssignableFrom<IInstanceEventLog>(store);

    private static InstanceLogEntry Entry(string kind, string data, string? key = null) => new(kind, data, T0, key);

    private static LockRequest Lock() => new("w1", T0, TimeSpan.FromMinutes(1));

    private static OrchestrationCheckpoint Checkpoint(OrchestrationWorkItem item, OrchestrationRuntimeStatus status) => new()
    {
        NewEvents = [new ExecutionStarted("Orch", "e1", null) { Timestamp = T0 }],
        ConsumedMessageIds = [.. item.Messages.Select(m => m.Id)],
        Instance = new InstanceUpdate("e1", status, null, null, null, null, T0, status == OrchestrationRuntimeStatus.Completed ? T0 : null),
    };

    private static async Task CompleteInstanceAsync(IDurableStore store, string instanceId)
    {
        await store.CreateInstanceAsync(new NewInstance(instanceId, "Orch", "e1", null, T0, T0), []);
        var item = (await store.TryLockOrchestrationAsync(Lock()))!;
        await store.CommitOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Completed));
    }

    /// <summary>Lets the first entity-group transaction through and kills the caller at the second, as a crash would.</summary>
    private sealed class CancelOnSecondBatch(CancellationTokenSource dying) : HttpPipelinePolicy
    {
        private int _batches;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Intercept(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Intercept(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Intercept(HttpMessage message)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && Interlocked.Increment(ref _batches) == 2)
            {
                dying.Cancel();
                throw new OperationCanceledException(dying.Token);
            }
        }
    }
}
