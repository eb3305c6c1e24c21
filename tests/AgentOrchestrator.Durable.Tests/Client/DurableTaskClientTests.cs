using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.Tests.Client;

/// <summary>The management half of the client against a real worker: custom status, restart, purge, query, suspend.</summary>
public sealed class DurableTaskClientTests
{
    [Fact]
    public async Task GetInstance_OrchestratorSetCustomStatus_ClientReadsItWhileRunning()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "refund 40 EUR");

        var running = await host.WaitUntilAsync(id, m => m.SerializedCustomStatus is not null);

        Assert.Equal(OrchestrationRuntimeStatus.Running, running.RuntimeStatus);
        Assert.Equal(new ApprovalStatus("waiting for approval", "refund 40 EUR"), running.ReadCustomStatusAs<ApprovalStatus>());
    }

    [Fact]
    public async Task RestartAsync_SameInstanceId_ReplacesFinishedInstanceAndRunsWithOriginalInput()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "first", new StartOrchestrationOptions { InstanceId = "approval-1" });
        await host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        await host.Client.TerminateInstanceAsync(id, "wrong amount");
        var terminated = await host.WaitForCompletionAsync(id);

        var again = await host.Client.RestartAsync(id);
        var restarted = await host.WaitUntilAsync(again, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        await host.Client.RaiseEventAsync(again, "approve", "yes");
        var done = await host.WaitForCompletionAsync(again);

        Assert.Equal("approval-1", again);
        Assert.NotEqual(terminated.ExecutionId, restarted.ExecutionId);
        Assert.Equal("first: yes", done.ReadOutputAs<string>());
        Assert.DoesNotContain(await host.Client.GetHistoryAsync(again), e => e is ExecutionTerminated);
    }

    [Fact]
    public async Task RestartAsync_RunningInstance_ThrowsAndLeavesItRunning()
    {
        await using var host = await StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "x");
        await host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await Assert.ThrowsAsync<InstanceAlreadyExistsException>(() => host.Client.RestartAsync(id));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task PurgeInstanceAsync_FinishedAndRunning_DeletesOnlyFinishedWithItsHistory()
    {
        await using var host = await StartAsync();
        var finished = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "x");
        var running = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "y");
        await host.WaitUntilAsync(finished, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        await host.WaitUntilAsync(running, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        await host.Client.RaiseEventAsync(finished, "approve", "ok");
        await host.WaitForCompletionAsync(finished);

        Assert.True(await host.Client.PurgeInstanceAsync(finished));
        Assert.False(await host.Client.PurgeInstanceAsync(running));
        Assert.False(await host.Client.PurgeInstanceAsync("never-existed"));
        Assert.Null(await host.Client.GetInstanceAsync(finished));
        Assert.Empty(await host.Client.GetHistoryAsync(finished));
        Assert.NotEmpty(await host.Client.GetHistoryAsync(running));
    }

    [Fact]
    public async Task QueryInstancesAsync_StatusNameAndPrefixFilters_PagesThroughAllMatchesOnce()
    {
        await using var host = await StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "x", new StartOrchestrationOptions { InstanceId = $"tenant-a-{i}" });
        }

        var other = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "x", new StartOrchestrationOptions { InstanceId = "tenant-b-0" });
        var done = await host.Client.ScheduleNewOrchestrationInstanceAsync("Echo", "x", new StartOrchestrationOptions { InstanceId = "tenant-a-echo" });
        await host.WaitForCompletionAsync(done);
        for (var i = 0; i < 5; i++)
        {
            await host.WaitUntilAsync($"tenant-a-{i}", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        }

        var query = new InstanceQuery
        {
            InstanceIdPrefix = "tenant-a-",
            Name = "Approval",
            Statuses = [OrchestrationRuntimeStatus.Running],
            PageSize = 2,
        };
        var seen = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await host.Client.QueryInstancesAsync(query with { ContinuationToken = token });
            seen.AddRange(page.Instances.Select(m => m.InstanceId));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"tenant-a-{i}").Order(), seen.Order());
        Assert.DoesNotContain(other, seen);
        var completed = await host.Client.QueryInstancesAsync(new InstanceQuery { Statuses = [OrchestrationRuntimeStatus.Completed] });
        Assert.Equal([done], completed.Instances.Select(m => m.InstanceId));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => host.Client.QueryInstancesAsync(new InstanceQuery { PageSize = 1001 }));
    }

    [Fact]
    public async Task SuspendInstanceAsync_TimerDueWhileSuspended_FiresOnlyAfterResume()
    {
        var clock = TestClock.Create();
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), r => r
            .AddOrchestrator<string, string>("Nap", async (ctx, _) =>
            {
                await ctx.CreateTimer(TimeSpan.FromMinutes(10));
                return "woke";
            }), clock);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Nap");
        await host.WaitForHistoryAsync(id, h => h.OfType<TimerCreated>().Any());
        await host.Client.SuspendInstanceAsync(id, "maintenance");
        await host.WaitUntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);

        clock.AdvanceAndWake(host, TimeSpan.FromMinutes(20));
        // Nothing is deliverable to a suspended instance but control messages, so no worker can take the due timer.
        var deliverable = await host.Store.TryLockOrchestrationAsync(new LockRequest("probe", clock.GetUtcNow(), TimeSpan.FromMinutes(1)));
        var whileSuspended = await host.Client.GetInstanceAsync(id);
        await host.Client.ResumeInstanceAsync(id, "done");
        var done = await host.WaitForCompletionAsync(id);

        Assert.Null(deliverable);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, whileSuspended!.RuntimeStatus);
        Assert.Equal("woke", done.ReadOutputAs<string>());
    }

    private static Task<DurableTestHost> StartAsync() => DurableTestHost.StartAsync(new InMemoryDurableStore(), r => r
        .AddOrchestrator<string, string>("Echo", (_, input) => Task.FromResult(input!))
        .AddOrchestrator<string, string>("Approval", async (ctx, request) =>
        {
            ctx.SetCustomStatus(new ApprovalStatus("waiting for approval", request!));
            var answer = await ctx.WaitForExternalEvent<string>("approve");
            return $"{request}: {answer}";
        }));

    private sealed record ApprovalStatus(string Stage, string Request);
}
