namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// A wake-up that cannot be missed: a waiter takes <see cref="Next"/> BEFORE it looks for work, so a <see cref="Set"/> that
/// happens after the look, or during it, completes the task it waits on.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>The task the next <see cref="Set"/> completes.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Wakes everyone waiting on <see cref="Next"/>.</summary>
    public void Set() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    /// <summary>
    /// Waits until <paramref name="signal"/> completes or <paramref name="timeout"/> passes on <paramref name="time"/>;
    /// true when signalled. Throws when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static async Task<bool> WaitAsync(Task signal, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (signal.IsCompleted)
        {
            return true;
        }

        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, stop.Token);
        var first = await Task.WhenAny(signal, delay).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == signal;
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
