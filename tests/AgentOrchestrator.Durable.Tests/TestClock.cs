using AgentOrchestrator.Durable.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrchestrator.Durable.Tests;

/// <summary>A fake clock for engine tests: time moves only when a test says so.</summary>
internal static class TestClock
{
    /// <summary>Where every fake clock starts.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Create() => new(T0);

    /// <summary>Moves the clock on and wakes the worker, which would otherwise find the now-due work at its next poll.</summary>
    public static void AdvanceAndWake(this FakeTimeProvider clock, DurableTestHost host, TimeSpan by)
    {
        clock.Advance(by);
        host.Notifier.NotifyOrchestrations();
        host.Notifier.NotifyActivities();
    }
}
