using System.Diagnostics;
using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>Locks: expiry and takeover by another worker, several workers on one file, takeover of dead processes' locks.</summary>
public sealed class LockTests
{
    private const string DeadOwner = "{0}|2147483000|1";

    [Fact]
    public async Task LockExpiry_HungWorkerHoldsInstance_SecondWorkerTakesItAfterExpiryOnly()
    {
        await using var hub = await TestHub.StartAsync(configure: s => s.LockTimeout = TimeSpan.FromSeconds(2));
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), 2);
        var hung = await ManualEpisode.LockAsync(hub.Service);
        var clock = Stopwatch.StartNew();

        await hub.StartWorkerAsync(hub.NewService(), w => w.AddTaskOrchestrations(typeof(Chain)).AddTaskActivities(typeof(Increment)));
        var state = await hub.WaitAsync(instance);

        Assert.Equal("2", state.Output);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"Taken after {clock.Elapsed}, before the lock expired.");
        await Assert.ThrowsAsync<InvalidOperationException>(() => hub.Service.RenewTaskOrchestrationWorkItemLockAsync(hung));
    }

    [Fact]
    public async Task LockExpiry_HungActivity_RunsAgainElsewhereAndItsResultCountsOnce()
    {
        static void Register(TaskHubWorker w) => w.AddTaskOrchestrations(typeof(EventWaiter)).AddTaskActivities(typeof(Gate));
        await using var hub = await TestHub.StartAsync(Register, s => (s.LockTimeout, s.AbandonBaseDelay) = (TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50)));
        var gate = $"gate-{Guid.NewGuid():N}";
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), gate);
        await Gate.Started(gate).WaitAsync(TestHub.Timeout);

        await hub.StartWorkerAsync(hub.NewService(), Register);
        await Wait.UntilAsync(() => Gate.Runs(gate) == 2, "a second worker runs the task whose lock expired");
        Gate.Open(gate);
        await hub.Client.RaiseEventAsync(instance, "go", "done");
        var state = await hub.WaitAsync(instance);

        Assert.Equal("\"done\"", state.Output);
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM history WHERE instance_id = $id AND event_type = 5", ("$id", instance.InstanceId)));
    }

    [Fact]
    public async Task SeveralWorkers_OneFile_EveryTaskRunsOnceAndEveryChainCompletes()
    {
        static void Register(TaskHubWorker w) => w.AddTaskOrchestrations(typeof(CountingChain)).AddTaskActivities(typeof(CountingIncrement));
        await using var hub = await TestHub.StartAsync(Register);
        await hub.StartWorkerAsync(hub.NewService(), Register);
        await hub.StartWorkerAsync(hub.NewService(), Register);
        var prefix = $"multi-{Guid.NewGuid():N}-";

        var instances = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => hub.Client.CreateOrchestrationInstanceAsync(typeof(CountingChain), $"{prefix}{i}", 8)));
        var states = await Task.WhenAll(instances.Select(hub.WaitAsync));

        Assert.All(states, s => Assert.Equal("8", s.Output));
        var runs = CountingIncrement.Runs.Where(r => r.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(12 * 8, runs.Count);
        Assert.All(runs, r => Assert.Equal(1, r.Value));
    }

    [Fact]
    public async Task DeadOwner_InstanceLockedByAProcessThatIsGone_TakenBackWhenAWorkerStarts()
    {
        await using var hub = await TestHub.StartAsync(configure: s => s.LockTimeout = TimeSpan.FromHours(1));
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), 1);
        hub.Execute("UPDATE instances SET lock_owner = $owner, lock_token = 42, locked_until = $until",
            ("$owner", string.Format(System.Globalization.CultureInfo.InvariantCulture, DeadOwner, OwnScope())), ("$until", DateTime.UtcNow.AddHours(1).Ticks));
        var clock = Stopwatch.StartNew();

        await hub.StartWorkerAsync(hub.Service, w => w.AddTaskOrchestrations(typeof(Chain)).AddTaskActivities(typeof(Increment)));
        var state = await hub.WaitAsync(instance);

        Assert.Equal("1", state.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Took {clock.Elapsed}.");
    }

    [Fact]
    public async Task DeadOwner_TaskLockedByAProcessThatIsGone_TakenBackWhenAWorkerStarts()
    {
        await using var hub = await TestHub.StartAsync(configure: s => s.LockTimeout = TimeSpan.FromHours(1));
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), 1);
        var item = await ManualEpisode.LockAsync(hub.Service);
        await ManualEpisode.CompleteFirstEpisodeAsync(hub.Service, item);
        await hub.Service.ReleaseTaskOrchestrationWorkItemAsync(item);
        hub.Execute("UPDATE tasks SET lock_owner = $owner, lock_token = 7, delivery_count = 1, visible_at = $until",
            ("$owner", string.Format(System.Globalization.CultureInfo.InvariantCulture, DeadOwner, OwnScope())), ("$until", DateTime.UtcNow.AddHours(1).Ticks));

        await hub.StartWorkerAsync(hub.Service, w => w.AddTaskOrchestrations(typeof(Chain)).AddTaskActivities(typeof(Increment)));
        var state = await hub.WaitAsync(instance);

        Assert.Equal("1", state.Output);
    }

    [Fact]
    public async Task BatchClaim_OneFetchWhileTheWorkerRuns_ClaimsAsManyAsTheDispatcherHasRoomFor()
    {
        await using var hub = await TestHub.StartAsync();
        var service = hub.NewService(s => s.MaxConcurrentOrchestrations = 3);
        await service.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), 1);
        }

        var first = await ManualEpisode.LockAsync(service);
        var claimed = hub.Count("SELECT COUNT(*) FROM instances WHERE lock_token IS NOT NULL");
        var second = await ManualEpisode.LockAsync(service);
        var third = await ManualEpisode.LockAsync(service);

        // One claim took three (the dispatcher's room), oldest first; the next fetches took them from memory.
        Assert.Equal(3, claimed);
        Assert.Equal(3, hub.Count("SELECT COUNT(*) FROM instances WHERE lock_token IS NOT NULL"));
        Assert.Equal(3, new[] { first, second, third }.Select(i => i.InstanceId).Distinct().Count());
    }

    [Fact]
    public async Task BatchClaim_WorkerStopsWithClaimedInstancesNotFetched_ReleasesThemAndGivesTheirDeliveriesBack()
    {
        await using var hub = await TestHub.StartAsync();
        var service = hub.NewService();
        await service.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), 1);
        }

        var fetched = await ManualEpisode.LockAsync(service);
        var claimed = hub.Count("SELECT COUNT(*) FROM instances WHERE lock_token IS NOT NULL");
        await service.StopAsync();

        Assert.Equal(3, claimed);
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM instances WHERE lock_token IS NOT NULL AND instance_id = $id", ("$id", fetched.InstanceId)));
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM instances WHERE lock_token IS NOT NULL AND instance_id <> $id", ("$id", fetched.InstanceId)));
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM inbox WHERE delivery_count > 0 AND instance_id <> $id", ("$id", fetched.InstanceId)));
    }

    [Fact]
    public async Task LiveOwner_LockHeldByThisProcess_IsNotFreed()
    {
        await using var hub = await TestHub.StartAsync();
        await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), 1);
        hub.Execute("UPDATE instances SET lock_owner = $owner, lock_token = 42, locked_until = $until",
            ("$owner", LockOwner.Current.ToString()), ("$until", DateTime.UtcNow.AddHours(1).Ticks));

        var freed = await hub.Service.FreeDeadOwnersAsync();

        Assert.Equal(0, freed);
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM instances WHERE lock_token = 42"));
    }

    [Fact]
    public void LockOwner_GoneOrReusedOrForeign_IsAliveOnlyWhenItCouldBeRunning()
    {
        var current = LockOwner.Current;

        Assert.True(current.IsAlive());
        Assert.Equal(current, LockOwner.Parse(current.ToString()));
        Assert.False(new LockOwner(current.Scope, 2147483000, current.StartedAtUnixMs).IsAlive());
        Assert.False((current with { StartedAtUnixMs = current.StartedAtUnixMs - 3_600_000 }).IsAlive());
        Assert.True(new LockOwner("another-machine/pid:[1]", 2147483000, 1).IsAlive());
        Assert.Null(LockOwner.Parse("not an owner"));
    }

    private static string OwnScope() => LockOwner.Current.Scope;
}
