using AgentOrchestrator.Durable.Orchestration;

namespace AgentOrchestrator.Durable.Worker;

/// <summary>
/// Keeps executed orchestrations in memory between episodes (like extended sessions), keyed by instance
/// and the version their last checkpoint produced; least recently used entries are evicted.
/// </summary>
internal sealed class ExecutionCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly Lock _gate = new();

    /// <summary>Takes the cached executor if it was left at exactly <paramref name="version"/>; otherwise drops it.</summary>
    public OrchestrationExecutor? Take(string instanceId, long version)
    {
        lock (_gate)
        {
            if (!_entries.Remove(instanceId, out var node))
            {
                return null;
            }

            _recency.Remove(node);
            return node.Value.Version == version ? node.Value.Executor : null;
        }
    }

    /// <summary>Takes the cached executor whatever its version, with that version; null when none is cached.</summary>
    public (long Version, OrchestrationExecutor Executor)? TakeAny(string instanceId)
    {
        lock (_gate)
        {
            if (!_entries.Remove(instanceId, out var node))
            {
                return null;
            }

            _recency.Remove(node);
            return (node.Value.Version, node.Value.Executor);
        }
    }

    /// <summary>Keeps an executor that is now at <paramref name="version"/>.</summary>
    public void Put(string instanceId, long version, OrchestrationExecutor executor) => Put(instanceId, version, executor, replace: true);

    /// <summary>Returns an executor taken with <see cref="TakeAny"/> and left unchanged, unless another one was cached meanwhile.</summary>
    public void PutBack(string instanceId, long version, OrchestrationExecutor executor) => Put(instanceId, version, executor, replace: false);

    private void Put(string instanceId, long version, OrchestrationExecutor executor, bool replace)
    {
        if (capacity == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(instanceId, out var existing))
            {
                if (!replace)
                {
                    return;
                }

                _entries.Remove(instanceId);
                _recency.Remove(existing);
            }

            _entries[instanceId] = _recency.AddFirst(new Entry(instanceId, version, executor));
            while (_entries.Count > capacity && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.InstanceId);
            }
        }
    }

    /// <summary>How many executions are cached.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    private sealed record Entry(string InstanceId, long Version, OrchestrationExecutor Executor);
}
