using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Durable.Worker;

/// <summary>
/// Polls for one kind of work with a bounded number of slots: backs off while idle, wakes at once on a
/// local signal, and on stop waits for the work it started.
/// </summary>
internal sealed class DispatchLoop<TItem>(
    int slots,
    Func<CancellationToken, Task<TItem?>> tryLock,
    Func<TItem, Task> process,
    Func<Task> signal,
    DurableWorkerOptions options,
    TimeProvider time,
    ILogger logger)
    where TItem : class
{
    public async Task RunAsync(CancellationToken stopping)
    {
        using var free = new SemaphoreSlim(slots);
        var running = new List<Task>();
        var idleDelay = options.MinPollInterval;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await free.WaitAsync(stopping);
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
                free.Release();
                break;
            }
            catch (Exception e)
            {
                logger.PollError(idleDelay, e);
            }

            if (item is null)
            {
                free.Release();
                await WaitAsync(wake, idleDelay, stopping);
                idleDelay = TimeSpan.FromTicks(Math.Min(idleDelay.Ticks * 2, options.MaxPollInterval.Ticks));
                continue;
            }

            idleDelay = options.MinPollInterval;
            running.RemoveAll(t => t.IsCompleted);
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await process(item);
                }
                finally
                {
                    free.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(running);
    }

    private async Task WaitAsync(Task wake, TimeSpan delay, CancellationToken stopping)
    {
        using var cancelDelay = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var timer = Task.Delay(delay, time, cancelDelay.Token);
        await Task.WhenAny(wake, timer);
        await cancelDelay.CancelAsync();
    }
}
