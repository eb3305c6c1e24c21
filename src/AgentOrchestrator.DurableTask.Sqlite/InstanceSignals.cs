namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// In-process wake-ups by instance id: extended sessions waiting for an instance's next message, and callers waiting for an
/// instance to finish. A registration is counted, so several waiters on one instance share one signal.
/// </summary>
internal sealed class InstanceSignals
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Starts listening for <paramref name="instanceId"/>; dispose the registration to stop.</summary>
    public Registration Register(string instanceId)
    {
        lock (_entries)
        {
            if (!_entries.TryGetValue(instanceId, out var entry))
            {
                entry = new Entry();
                _entries[instanceId] = entry;
            }

            entry.Count++;
            return new Registration(this, instanceId, entry.Signal);
        }
    }

    /// <summary>Wakes the listeners of <paramref name="instanceId"/>; false when there are none.</summary>
    public bool Set(string instanceId)
    {
        AsyncSignal signal;
        lock (_entries)
        {
            if (!_entries.TryGetValue(instanceId, out var entry))
            {
                return false;
            }

            signal = entry.Signal;
        }

        signal.Set();
        return true;
    }

    /// <summary>The instances someone listens for.</summary>
    public string[] InstanceIds()
    {
        lock (_entries)
        {
            return [.. _entries.Keys];
        }
    }

    private void Unregister(string instanceId)
    {
        lock (_entries)
        {
            if (_entries.TryGetValue(instanceId, out var entry) && --entry.Count == 0)
            {
                _entries.Remove(instanceId);
            }
        }
    }

    /// <summary>One listener.</summary>
    internal sealed class Registration(InstanceSignals owner, string instanceId, AsyncSignal signal) : IDisposable
    {
        private int _disposed;

        /// <summary>Completes at the next wake-up of the instance.</summary>
        public Task Next => signal.Next;

        /// <summary>Stops listening.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unregister(instanceId);
            }
        }
    }

    private sealed class Entry
    {
        public AsyncSignal Signal { get; } = new();

        public int Count { get; set; }
    }
}
