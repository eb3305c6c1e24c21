using DurableTask.Core;
using DurableTask.Core.Query;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>Queries with filters and paging; purge by instance, by filter and by time.</summary>
public sealed class QueryAndPurgeTests
{
    private static void Register(TaskHubWorker worker)
        => worker.AddTaskOrchestrations(typeof(Chain), typeof(EventWaiter)).AddTaskActivities(typeof(Increment), typeof(Gate));

    [Fact]
    public async Task Query_PagesOfTen_ReturnEveryMatchOnceInCreationOrder()
    {
        await using var hub = await TestHub.StartAsync(Register);
        for (var i = 0; i < 25; i++)
        {
            await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), $"q-{i:D2}", 1);
        }

        await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), "other-1", 1);
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await hub.Service.GetOrchestrationWithQueryAsync(
                new OrchestrationQuery { InstanceIdPrefix = "q-", PageSize = 10, ContinuationToken = token }, CancellationToken.None);
            seen.AddRange(page.OrchestrationState.Select(s => s.OrchestrationInstance.InstanceId));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"q-{i:D2}"), seen);
    }

    [Fact]
    public async Task Query_StatusTimeAndNameFilters_SelectOnlyMatches()
    {
        await using var hub = await TestHub.StartAsync(Register);
        var done = await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), "done-1", 1);
        await hub.WaitAsync(done);
        var between = DateTime.UtcNow;
        await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), "waiting-1", string.Empty);
        await Wait.UntilAsync(async () => (await hub.Client.GetOrchestrationStateAsync("waiting-1"))?.OrchestrationStatus == OrchestrationStatus.Running, "it runs");

        async Task<string[]> Ids(OrchestrationQuery query)
            => [.. (await hub.Service.GetOrchestrationWithQueryAsync(query, CancellationToken.None)).OrchestrationState.Select(s => s.OrchestrationInstance.InstanceId)];

        Assert.Equal(["done-1"], await Ids(new OrchestrationQuery { RuntimeStatus = [OrchestrationStatus.Completed] }));
        Assert.Equal(["waiting-1"], await Ids(new OrchestrationQuery { RuntimeStatus = [OrchestrationStatus.Running, OrchestrationStatus.Pending] }));
        Assert.Equal(["waiting-1"], await Ids(new OrchestrationQuery { CreatedTimeFrom = between }));
        Assert.Equal(["done-1"], await Ids(new OrchestrationQuery { CreatedTimeTo = between }));
        Assert.Equal(["waiting-1"], await Ids(new SqliteOrchestrationQuery { Name = typeof(EventWaiter).ToString() }));
        Assert.Empty(await Ids(new OrchestrationQuery { TaskHubNames = ["another-hub"] }));
        var withPayloads = await hub.Service.GetOrchestrationWithQueryAsync(new OrchestrationQuery { InstanceIdPrefix = "done", FetchInputsAndOutputs = true }, CancellationToken.None);
        var withoutPayloads = await hub.Service.GetOrchestrationWithQueryAsync(new OrchestrationQuery { InstanceIdPrefix = "done", FetchInputsAndOutputs = false }, CancellationToken.None);
        Assert.Equal("1", withPayloads.OrchestrationState.Single().Output);
        Assert.Null(withoutPayloads.OrchestrationState.Single().Output);
    }

    [Fact]
    public async Task Query_ForeignContinuationToken_Throws()
    {
        await using var hub = await TestHub.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => hub.Service.GetOrchestrationWithQueryAsync(
            new OrchestrationQuery { ContinuationToken = "page-2" }, CancellationToken.None));
    }

    [Fact]
    public async Task PurgeInstance_FinishedAndRunning_OnlyTheFinishedIsDeletedWithAllItsRows()
    {
        await using var hub = await TestHub.StartAsync(Register);
        var done = await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), "purge-done", 2);
        await hub.WaitAsync(done);
        await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), "purge-running", string.Empty);

        var purgedDone = await hub.Service.PurgeInstanceStateAsync("purge-done");
        var purgedRunning = await hub.Service.PurgeInstanceStateAsync("purge-running");

        Assert.Equal(1, purgedDone.DeletedInstanceCount);
        Assert.Equal(0, purgedRunning.DeletedInstanceCount);
        Assert.Null(await hub.Client.GetOrchestrationStateAsync("purge-done"));
        Assert.NotNull(await hub.Client.GetOrchestrationStateAsync("purge-running"));
        foreach (var table in new[] { "instances", "instance_data", "history", "inbox", "tasks", "poison_messages" })
        {
            Assert.Equal(0, hub.Count($"SELECT COUNT(*) FROM {table} WHERE instance_id = 'purge-done'"));
        }
    }

    [Fact]
    public async Task PurgeByFilterAndByTime_SelectFinishedInstancesInRange()
    {
        await using var hub = await TestHub.StartAsync(Register);
        for (var i = 0; i < 4; i++)
        {
            await hub.WaitAsync(await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), $"old-{i}", 1));
        }

        var cut = DateTime.UtcNow;
        await hub.WaitAsync(await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), "new-1", 1));
        await hub.WaitAsync(await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), "new-2", 1));
        await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), "new-running", string.Empty);

        var byFilter = await hub.Service.PurgeInstanceStateAsync(new PurgeInstanceFilter(DateTime.MinValue, cut, [OrchestrationStatus.Completed]));
        await hub.Service.PurgeOrchestrationHistoryAsync(DateTime.UtcNow.AddMinutes(1), OrchestrationStateTimeRangeFilterType.OrchestrationCompletedTimeFilter);

        Assert.Equal(4, byFilter.DeletedInstanceCount);
        Assert.True(byFilter.IsComplete);
        Assert.Equal(["new-running"], (await hub.Service.GetOrchestrationWithQueryAsync(new OrchestrationQuery(), CancellationToken.None))
            .OrchestrationState.Select(s => s.OrchestrationInstance.InstanceId));
    }
}
