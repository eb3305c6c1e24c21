namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>
/// Work this process knows about and will look at when it is due: instances it locked (in case the lock expires),
/// timers it wrote, results it delivered. A hint is only a shortcut past the queues; losing it loses nothing, because
/// every such piece of work also has a queue message or a wake-up time on its status row.
/// </summary>
/// <typeparam name="TKey">What the hint points at.</typeparam>
internal sealed class LocalHints<TKey>
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, DateTimeOffset> _due = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _due.Count;
            }
        }
    }

    /// <summary>Sets the hint's due time, keeping the earlier one when it already exists and <paramref name="keepEarlier"/> holds.</summary>
    public void Set(TKey key, DateTimeOffset dueAt, bool keepEarlier = false)
    {
        lock (_gate)
        {
            if (keepEarlier && _due.TryGetValue(key, out var existing) && existing <= dueAt)
            {
                return;
            }

            _due[key] = dueAt;
        }
    }

    /// <summary>Removes the hint only while it is still the one set for <paramref name="dueAt"/>, not a later, earlier-due one.</summary>
    public void Remove(TKey key, DateTimeOffset dueAt)
    {
        lock (_gate)
        {
            if (_due.TryGetValue(key, out var existing) && existing == dueAt)
            {
                _due.Remove(key);
            }
        }
    }

    public void Remove(TKey key)
    {
        lock (_gate)
        {
            _due.Remove(key);
        }
    }

    /// <summary>Takes the earliest hint due at <paramref name="now"/>, if any.</summary>
    public bool TryTakeDue(DateTimeOffset now, out TKey key)
    {
        lock (_gate)
        {
            key = default!;
            var found = false;
            var best = DateTimeOffset.MaxValue;
            foreach (var (candidate, due) in _due)
            {
                if (due <= now && due < best)
                {
                    key = candidate;
                    best = due;
                    found = true;
                }
            }

            if (found)
            {
                _due.Remove(key);
            }

            return found;
        }
    }
}
