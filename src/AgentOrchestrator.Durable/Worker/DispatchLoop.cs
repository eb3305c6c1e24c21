using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Durable.Worker;

/// <summary>
/// Polls for one kind of work while a slot is free: backs off while idle and wakes at once on a local
/// signal. The work it finds is started through the scheduler, which owns the slots.
/// </summary>
internal sealed class DispatchLoop<TItem>(
    SemaphoreSlim slots,
    Func<CancellationToken, Task<TItem?>> tryLock,
    Action<TItem> start,
    Func<Task> signal,
    DurableWorkerOptions options,
    TimeProvider time,
    ILogger logger)
    where TItem : class
{
    public async Task RunAsync(CancellationToken stopping)
    {
        var idleDelay = options.MinPollInterval;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var wake = signal();
            TItem? item = null;
            try
            {
                item = await tryLock(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                slots.Release();
                break;
            }
            catch (Exception e)
            {
                logger.PollError(idleDelay, e);
            }

            if (item is null)
            {
                slots.Release();
                await WaitAsync(wake, idleDelay, stopping);
                idleDelay = TimeSpan.FromTicks(Math.Min(idleDelay.Ticks * 2, options.MaxPollInterval.Ticks));
                continue;
            }

            idleDelay = options.MinPollInterval;
            start(item);
        }
    }

    private async Task WaitAsync(Task wake, TimeSpan delay, CancellationToken stopping)
    {
        using var cancelDelay = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var timer = Task.Delay(delay, time, cancelDelay.Token);
        await Task.WhenAny(wake, timer);
        await cancelDelay.CancelAsync();
    }
}
