using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace AgentOrchestrator.DurableTask.Tests.Conformance;

/// <summary>Queries with filters and paging; purge by filter.</summary>
public abstract partial class ProviderConformanceTests<TFixture>
{
    [Fact]
    public async Task Query_ByPrefixAndStatus_PagesThroughEveryMatchOnce()
    {
        var prefix = NewId("query") + "-";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        for (var i = 0; i < 7; i++)
        {
            await Host.RunAsync("Chain", 1, prefix + i);
        }

        await Client.ScheduleNewOrchestrationInstanceAsync("WaitForEvent", "x", new StartOrchestrationOptions(prefix + "running"), timeout.Token);
        await Client.WaitForInstanceStartAsync(prefix + "running", timeout.Token);

        var seen = new List<string>();
        var pages = 0;
        var query = new OrchestrationQuery { InstanceIdPrefix = prefix, Statuses = [OrchestrationRuntimeStatus.Completed], PageSize = 3 };
        await foreach (var page in Client.GetAllInstancesAsync(query).AsPages(pageSizeHint: 3).WithCancellation(timeout.Token))
        {
            pages += page.Values.Count > 0 ? 1 : 0;
            seen.AddRange(page.Values.Select(v => v.InstanceId));
            Assert.All(page.Values, v => Assert.Equal(OrchestrationRuntimeStatus.Completed, v.RuntimeStatus));
        }

        Assert.Equal(Enumerable.Range(0, 7).Select(i => prefix + i).Order(), seen.Order());
        Assert.True(pages >= 3, $"7 matches in pages of 3 came in {pages} page(s)");
        await Client.RaiseEventAsync(prefix + "running", "approve", "done", timeout.Token);
        await Host.WaitAsync(prefix + "running");
    }

    [Fact]
    public async Task Query_ByCreatedTime_ExcludesOlderInstances()
    {
        var prefix = NewId("created") + "-";
        await Host.RunAsync("Chain", 1, prefix + "old");
        var old = await Client.GetInstanceAsync(prefix + "old");
        await Host.WaitForStatusAsync(prefix + "old", _ => DateTimeOffset.UtcNow > old!.CreatedAt.AddMilliseconds(50));
        var cut = DateTimeOffset.UtcNow;
        await Host.RunAsync("Chain", 1, prefix + "new");

        var found = new List<string>();
        await foreach (var instance in Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, CreatedFrom = cut }))
        {
            found.Add(instance.InstanceId);
        }

        Assert.Equal([prefix + "new"], found);
    }
}
