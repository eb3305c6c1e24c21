using System.Collections.Concurrent;

namespace AgentOrchestrator.Durable.Storage;

/// <summary>
/// Wakes readers of an instance's event log in this process as soon as a writer here appends to it.
/// Readers still poll the store on a slow interval, because writers in other processes cannot wake them.
/// </summary>
public sealed class InstanceLogNotifier
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
    /// A task that completes at the next <see cref="Notify"/> for the instance. Take it before reading the
    /// log, then await it only if the read found nothing new, so no append is missed in between.
    /// </summary>
    public Task NextAppendAsync(string instanceId)
        => _waiters.GetOrAdd(instanceId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
}
