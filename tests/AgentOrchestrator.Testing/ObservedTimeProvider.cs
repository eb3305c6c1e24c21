using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrchestrator.Testing;

/// <summary>A fake clock that also reports every timer the code under test starts, so a test can wait for a delay
/// (a retry's, an injected latency's) to be armed before moving time, instead of racing it: time moved before the
/// timer is set does not count for it, and the code under test would then wait forever.</summary>
public sealed class ObservedTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public ObservedTimeProvider()
        : this(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public FakeTimeProvider Fake { get; } = new(start);

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Fake.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits (real time, bounded) until a timer with a due time matching <paramref name="match"/> is started.
    /// Each started timer is reported once, to the first wait that reads it.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var due = await _timers.Reader.ReadAsync(cts.Token);
                if (match(due))
                {
                    return due;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching timer was started within {timeout}.");
        }
    }
}
