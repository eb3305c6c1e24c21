using System.Collections.Concurrent;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Worker;

/// <summary>
/// Owns the worker's concurrency slots and the work it started, whether that work came from polling
/// or was handed over by the store in the transaction that produced it.
/// </summary>
internal sealed class WorkScheduler(int orchestrationSlots, int activitySlots) : IDisposable
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public SemaphoreSlim OrchestrationSlots { get; } = new(orchestrationSlots, orchestrationSlots);

    public SemaphoreSlim ActivitySlots { get; } = new(activitySlots, activitySlots);

    public Func<OrchestrationWorkItem, Task> RunEpisode { get; set; } = _ => Task.CompletedTask;

    public Func<ActivityWorkItem, Task> RunActivity { get; set; } = _ => Task.CompletedTask;

    /// <summary>Runs an episode in a slot the caller already holds; the slot is released when it ends.</summary>
    public void StartEpisode(OrchestrationWorkItem item) => Start(() => RunEpisode(item), OrchestrationSlots);

    /// <summary>Runs an activity in a slot the caller already holds; the slot is released when it ends.</summary>
    public void StartActivity(ActivityWorkItem item) => Start(() => RunActivity(item), ActivitySlots);

    /// <summary>Takes up to <paramref name="max"/> free slots without waiting.</summary>
    public static int TryReserve(SemaphoreSlim slots, int max)
    {
        var taken = 0;
        while (taken < max && slots.Wait(0))
        {
            taken++;
        }

        return taken;
    }

    /// <summary>Gives back slots that were reserved and not used.</summary>
    public static void Release(SemaphoreSlim slots, int count)
    {
        if (count > 0)
        {
            slots.Release(count);
        }
    }

    /// <summary>Completes when all started work has finished, including work that running work handed on.</summary>
    public async Task WhenIdleAsync()
    {
        while (!_running.IsEmpty)
        {
            await Task.WhenAll(_running.Keys);
        }
    }

    public void Dispose()
    {
        OrchestrationSlots.Dispose();
        ActivitySlots.Dispose();
    }

    private void Start(Func<Task> work, SemaphoreSlim slot)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work();
            }
            finally
            {
                slot.Release();
            }
        });
        _running.TryAdd(task, 0);
        task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
