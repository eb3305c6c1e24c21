using System.Collections.Concurrent;

namespace AgentOrchestrator.DurableTask.Worker;

/// <summary>
/// Tells waiters in this process that an instance's orchestration state was just committed by this process's worker,
/// so a client waiting for a start or a completion re-reads the state at once instead of on its next poll.
/// Other processes' commits are not seen here; the client polls for those.
/// </summary>
public sealed class CheckpointNotifier
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    /// <summary>Wakes everyone waiting on <paramref name="instanceId"/>.</summary>
    public void Notify(string instanceId)
    {
        if (_waiters.TryRemove(instanceId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>
    /// A task that completes at the next <see cref="Notify"/> for <paramref name="instanceId"/>. Take it before reading the
    /// state, so a commit between the read and the wait is not missed.
    /// </summary>
    public Task NextCheckpoint(string instanceId)
        => _waiters.GetOrAdd(instanceId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>
    /// Forgets a wait that ended without a notification (the instance ran elsewhere), so instances this process never
    /// runs leave nothing behind. Another waiter on the same instance then falls back to its poll.
    /// </summary>
    public void Forget(string instanceId, Task checkpoint)
    {
        if (_waiters.TryGetValue(instanceId, out var waiter) && waiter.Task == checkpoint)
        {
            _waiters.TryRemove(KeyValuePair.Create(instanceId, waiter));
        }
    }
}
