namespace AgentOrchestrator.Agents.Tests.Model;

/// <summary>A clock whose timers fire at once and remember what they were asked to wait, so retry delays are checked without waiting.</summary>
internal sealed class ImmediateTimeProvider : TimeProvider
{
    public List<TimeSpan> Waits { get; } = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (Waits)
        {
            Waits.Add(dueTime);
        }

        return System.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
