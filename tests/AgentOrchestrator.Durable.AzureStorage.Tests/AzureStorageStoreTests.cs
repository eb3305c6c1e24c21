using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace AgentOrchestrator.Durable.AzureStorage.Tests;

/// <summary>What the Azure Storage store must do beyond the shared contract: table limits, odd ids, poison rows.</summary>
public sealed class AzureStorageStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly StoreTracker _stores = new();

    [Fact]
    public async Task Orchestration_PayloadsOver64KiB_RoundTripThroughBlobs()
    {
        var options = Azurite.Options();
        await using var host = await DurableTestHost.StartAsync(new AzureStorageDurableStore(options), r => r
            .AddActivity<string, string>("Upper", (_, text) => Task.FromResult(text!.ToUpperInvariant()))
            .AddOrchestrator<string, string>("Shout", async (ctx, text) => (await ctx.CallActivityAsync<string>("Upper", text))!));
        var big = string.Concat(Enumerable.Repeat("quarterly report line ", 10_000)); // 220,000 characters

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Shout", big);
        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(big.ToUpperInvariant(), done.ReadOutputAs<string>());
        Assert.Equal(big, done.ReadInputAs<string>());
        var completed = Assert.Single((await host.Client.GetHistoryAsync(id)).OfType<TaskCompleted>());
        Assert.Contains("QUARTERLY REPORT LINE", completed.Result, StringComparison.Ordinal);
        var blobs = new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient($"{options.HubName.ToLowerInvariant()}-payloads");
        Assert.NotEmpty(await blobs.GetBlobsAsync().ToListAsync());
    }

    [Fact]
    public async Task Orchestration_ParallelActivities_AllResultsReachTheOrchestrator()
    {
        var hub = Azurite.NewHubName();
        await using var host = await DurableTestHost.StartAsync(new AzureStorageDurableStore(Azurite.Options(hub)), r => r
            .AddActivity<int, int>("Square", (_, x) => Task.FromResult(x * x))
            .AddOrchestrator<int, int>("SumOfSquares", async (ctx, n) =>
            {
                var parts = await Task.WhenAll(Enumerable.Range(1, n).Select(i => ctx.CallActivityAsync<int>("Square", i)));
                return parts.Sum();
            }));
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await host.Client.ScheduleNewOrchestrationInstanceAsync("SumOfSquares", 30));
        }

        foreach (var id in ids)
        {
            try
            {
                Assert.Equal(9455, (await host.WaitForCompletionAsync(id)).ReadOutputAs<int>());
            }
            catch (TimeoutException)
            {
                var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient($"{hub}Instances");
                var rows = new List<string>();
                await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}")))
                {
                    rows.Add($"{e.RowKey}: " + string.Join(", ", e.Where(p => p.Key is not ("Events" or "Event" or "Input" or "odata.etag")).Select(p => $"{p.Key}={p.Value}")));
                }

                throw new TimeoutException(string.Join("\n", rows));
            }
        }
    }

    [Fact]
    public async Task CommitOrchestration_150Tasks_OverflowsIntoBundleAndEveryTaskIsDeliveredOnce()
    {
        var store = await _stores.CreateAsync();
        await store.CreateInstanceAsync(new NewInstance("fan", "Orch", "e1", null, T0, T0), []);
        var item = (await store.TryLockOrchestrationAsync(Lock()))!;
        var tasks = Enumerable.Range(0, 150).Select(i => new ActivityTask($"fan:e1:task:{i}", "fan", "e1", i, "Act", $"{i}", T0)).ToList();

        var version = await store.CommitOrchestrationAsync(item, new OrchestrationCheckpoint
        {
            NewEvents = [new ExecutionStarted("Orch", "e1", null) { Timestamp = T0 }, .. tasks.Select(t => new TaskScheduled("Act", t.Input) { EventId = t.TaskId, Timestamp = T0 })],
            ConsumedMessageIds = [.. item.Messages.Select(m => m.Id)],
            Instance = new InstanceUpdate("e1", OrchestrationRuntimeStatus.Running, null, null, null, null, T0, null),
            ActivityTasks = tasks,
        });

        var locked = new List<int>();
        while (await store.TryLockActivityAsync(Lock()) is { } activity)
        {
            locked.Add(activity.Task.TaskId);
        }

        Assert.Equal(item.Version + 1, version);
        Assert.Equal(Enumerable.Range(0, 150), locked.Order());
        Assert.Equal(151, (await store.GetHistoryAsync("fan")).Count);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await store.GetInstanceAsync("fan"))!.RuntimeStatus);
    }

    [Theory]
    [InlineData("tenant/42#order?x=1")]
    [InlineData("back\\slash%20and spaces")]
    public async Task CreateInstance_IdWithCharactersTablesForbid_IsStoredAndLocked(string id)
    {
        var store = await _stores.CreateAsync();
        await store.CreateInstanceAsync(new NewInstance(id, "Orch", "e1", "\"in\"", T0, T0), []);

        var item = await store.TryLockOrchestrationAsync(Lock());

        Assert.Equal(id, item!.InstanceId);
        Assert.Equal(id, (await store.GetInstanceAsync(id))!.InstanceId);
        Assert.Equal(id, Assert.Single((await store.QueryInstancesAsync(new InstanceQuery())).Instances).InstanceId);
    }

    [Fact]
    public async Task TryLockOrchestration_UnreadableInboxRow_IsDeadLetteredAndTheRestDelivered()
    {
        var options = Azurite.Options();
        var store = await _stores.CreateAsync(o => o.HubName = options.HubName);
        await store.CreateInstanceAsync(new NewInstance("a", "Orch", "e1", null, T0, T0), []);
        var item = (await store.TryLockOrchestrationAsync(Lock()))!;
        await store.CommitOrchestrationAsync(item, new OrchestrationCheckpoint
        {
            NewEvents = [new ExecutionStarted("Orch", "e1", null) { Timestamp = T0 }],
            ConsumedMessageIds = [.. item.Messages.Select(m => m.Id)],
            Instance = new InstanceUpdate("e1", OrchestrationRuntimeStatus.Running, null, null, null, null, T0, null),
        });
        var table = new TableServiceClient(Azurite.ConnectionString).GetTableClient($"{options.HubName}Instances");
        await table.AddEntityAsync(new TableEntity("a", "mcorrupt")
        {
            ["Id"] = "corrupt", ["Event"] = "{not json", ["DeliveryCount"] = 0, ["Seq"] = 0L, ["VisibleAtTicks"] = T0.UtcTicks,
        });
        await store.SendMessageAsync(new OrchestrationMessage("good", "a", null, new EventRaised("ok", "1") { Timestamp = T0 }, T0));

        var next = await store.TryLockOrchestrationAsync(Lock());

        Assert.Equal("good", Assert.Single(next!.Messages).Id);
        var letter = Assert.Single(await store.GetDeadLettersAsync("a"));
        Assert.Equal("corrupt", letter.MessageId);
        Assert.Contains("could not be read", letter.Reason, StringComparison.Ordinal);
        Assert.Equal("{not json", letter.Payload);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();

    private static LockRequest Lock() => new("w1", T0, TimeSpan.FromMinutes(1));
}
