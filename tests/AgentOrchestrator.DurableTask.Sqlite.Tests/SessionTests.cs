using System.Diagnostics;
using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>Extended sessions and wake-ups: no replay per event, other processes' messages found promptly, no fixed poll.</summary>
public sealed class SessionTests
{
    /// <summary>
    /// These tests set MaxPollingInterval to 20 s, so a wake-up by polling would take up to 20 s; a signal takes
    /// milliseconds (the watcher up to ChangePollingInterval, 50 ms). The bound leaves room for a loaded 2-core machine.
    /// </summary>
    private static readonly TimeSpan WakeBound = TimeSpan.FromSeconds(5);

    private static void Register(TaskHubWorker worker) => worker
        .AddTaskOrchestrations(typeof(CountedChain), typeof(EventWaiter)).AddTaskActivities(typeof(Increment), typeof(Gate));

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 21)]
    public async Task ExtendedSession_TwentyStepChain_CodeRunsOnceInsteadOfOncePerEvent(bool sessions, int expectedRuns)
    {
        await using var hub = await TestHub.StartAsync(Register, s => s.ExtendedSessionsEnabled = sessions);
        var id = $"counted-{Guid.NewGuid():N}";

        var state = await hub.WaitAsync(await hub.Client.CreateOrchestrationInstanceAsync(typeof(CountedChain), id, 20));

        Assert.Equal("20", state.Output);
        Assert.Equal(expectedRuns, CountedChain.Runs[id]);
    }

    [Fact]
    public async Task ExtendedSession_IdleLongerThanTheLock_RenewsItAndTakesAnotherProcessesEventPromptly()
    {
        // MaxPollingInterval is long, so only the change watcher can explain a prompt pick-up.
        await using var hub = await TestHub.StartAsync(Register, s =>
            (s.LockTimeout, s.MaxPollingInterval, s.ExtendedSessionIdleTimeout) = (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20)));
        var id = $"waiter-{Guid.NewGuid():N}";
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), id, string.Empty);
        await Wait.UntilAsync(async () => (await hub.Client.GetOrchestrationStateAsync(id))?.OrchestrationStatus == OrchestrationStatus.Running, "it runs");
        var firstExpiry = hub.Count("SELECT locked_until FROM instances WHERE instance_id = $id", ("$id", id));
        await Wait.UntilAsync(() => hub.Count("SELECT locked_until FROM instances WHERE instance_id = $id", ("$id", id)) > firstExpiry, "the idle session renews its lock");
        await Wait.UntilAsync(() => DateTime.UtcNow.Ticks > firstExpiry, "the first lock would have expired");
        var other = new TaskHubClient(hub.NewService());

        var clock = Stopwatch.StartNew();
        await other.RaiseEventAsync(instance, "go", "from-elsewhere");
        var state = await hub.WaitAsync(instance);

        Assert.Equal("\"from-elsewhere\"", state.Output);
        Assert.Equal(1, EventWaiter.Runs[id]);
        Assert.True(clock.Elapsed < WakeBound, $"Picked up after {clock.Elapsed}.");
    }

    [Fact]
    public async Task WaitForOrchestration_CompletedInThisProcess_WakesAtOnce()
    {
        await using var hub = await TestHub.StartAsync(Register, s => s.MaxPollingInterval = TimeSpan.FromSeconds(20));
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), string.Empty);
        await Wait.UntilAsync(async () => (await hub.Client.GetOrchestrationStateAsync(instance.InstanceId))?.OrchestrationStatus == OrchestrationStatus.Running, "it runs");
        var waiting = hub.Client.WaitForOrchestrationAsync(instance, TestHub.Timeout);

        var clock = Stopwatch.StartNew();
        await hub.Client.RaiseEventAsync(instance, "go", "now");
        var state = await waiting;

        Assert.Equal(OrchestrationStatus.Completed, state.OrchestrationStatus);
        Assert.True(clock.Elapsed < WakeBound, $"Woke after {clock.Elapsed}.");
    }

    [Fact]
    public async Task WaitForOrchestration_CompletedByAnotherProcess_WokenByTheWatcher()
    {
        await using var hub = await TestHub.StartAsync(Register, s => s.MaxPollingInterval = TimeSpan.FromSeconds(20));
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), string.Empty);
        await Wait.UntilAsync(async () => (await hub.Client.GetOrchestrationStateAsync(instance.InstanceId))?.OrchestrationStatus == OrchestrationStatus.Running, "it runs");
        var elsewhere = new TaskHubClient(hub.NewService());
        var waiting = elsewhere.WaitForOrchestrationAsync(instance, TestHub.Timeout);

        var clock = Stopwatch.StartNew();
        await hub.Client.RaiseEventAsync(instance, "go", "now");
        var state = await waiting;

        Assert.Equal(OrchestrationStatus.Completed, state.OrchestrationStatus);
        Assert.True(clock.Elapsed < WakeBound, $"Woke after {clock.Elapsed}.");
    }

    [Fact]
    public async Task WaitForOrchestration_Timeout_ReturnsNull()
    {
        await using var hub = await TestHub.StartAsync();
        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(EventWaiter), string.Empty);

        Assert.Null(await hub.Client.WaitForOrchestrationAsync(instance, TimeSpan.FromMilliseconds(100)));
    }
}
