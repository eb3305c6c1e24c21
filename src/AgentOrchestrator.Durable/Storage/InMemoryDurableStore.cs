using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable.Storage;

/// <summary>
/// A process-local store for unit tests and demos. It implements the store contract exactly
/// (the conformance suite runs against it) but keeps nothing across restarts.
/// </summary>
public sealed partial class InMemoryDurableStore : IDurableStore, IDurableStoreHandoff, IDurableStoreDirectCompletion
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, InstanceRow> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<HistoryEvent>> _history = new(StringComparer.Ordinal);
    private readonly List<MessageRow> _inbox = [];
    private readonly List<TaskRow> _tasks = [];
    private readonly List<DeadLetter> _deadLetters = [];
    private long _sequence;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public Task CreateInstanceAsync(NewInstance instance, IReadOnlyCollection<OrchestrationRuntimeStatus> dedupeStatuses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(dedupeStatuses);
        lock (_gate)
        {
            long version = 0;
            if (_instances.TryGetValue(instance.InstanceId, out var existing))
            {
                if (dedupeStatuses.Contains(existing.Status))
                {
                    throw new InstanceAlreadyExistsException(instance.InstanceId, existing.Status);
                }

                version = existing.Version + 1;
                Remove(instance.InstanceId);
            }

            Insert(instance, version);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> SendMessageAsync(OrchestrationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            if (!_instances.ContainsKey(message.InstanceId))
            {
                return Task.FromResult(false);
            }

            Enqueue(message);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_instances.GetValueOrDefault(instanceId)?.ToMetadata());
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<HistoryEvent> events = _history.TryGetValue(instanceId, out var list) ? [.. list] : [];
            return Task.FromResult(events);
        }
    }

    /// <inheritdoc />
    public Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var after = InstancePageToken.Parse(query.ContinuationToken);
        lock (_gate)
        {
            var matches = _instances.Values
                .Where(row => Matches(row, query))
                .OrderBy(row => row.CreatedAt).ThenBy(row => row.InstanceId, StringComparer.Ordinal)
                .Where(row => after is null || InstancePageToken.IsAfter(row.CreatedAt, row.InstanceId, after.Value))
                .Take(query.PageSize + 1)
                .ToList();
            var page = matches.Take(query.PageSize).Select(row => row.ToMetadata()).ToList();
            var token = matches.Count > query.PageSize ? InstancePageToken.Format(page[^1].CreatedAt, page[^1].InstanceId) : null;
            return Task.FromResult(new InstancePage(page, token));
        }
    }

    /// <inheritdoc />
    public Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        lock (_gate)
        {
            var doomed = _instances.Values.Where(row => row.Status.IsTerminal()
                && (filter.InstanceId is null || row.InstanceId == filter.InstanceId)
                && (filter.CreatedFrom is null || row.CreatedAt >= filter.CreatedFrom)
                && (filter.CreatedTo is null || row.CreatedAt < filter.CreatedTo)
                && (filter.Statuses is null || filter.Statuses.Contains(row.Status))).Select(row => row.InstanceId).ToList();
            doomed.ForEach(Remove);
            return Task.FromResult(doomed.Count);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? instanceId = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<DeadLetter> result = _deadLetters
                .Where(d => instanceId is null || d.InstanceId == instanceId)
                .Reverse()
                .Take(limit)
                .ToList();
            return Task.FromResult(result);
        }
    }

    private static bool Matches(InstanceRow row, InstanceQuery query)
        => (query.Statuses is null || query.Statuses.Count == 0 || query.Statuses.Contains(row.Status))
           && (query.CreatedFrom is null || row.CreatedAt >= query.CreatedFrom)
           && (query.CreatedTo is null || row.CreatedAt < query.CreatedTo)
           && (query.InstanceIdPrefix is null || row.InstanceId.StartsWith(query.InstanceIdPrefix, StringComparison.Ordinal))
           && (query.Name is null || row.Name == query.Name);

    private void Insert(NewInstance instance, long version)
    {
        _instances[instance.InstanceId] = new InstanceRow
        {
            InstanceId = instance.InstanceId,
            Name = instance.Name,
            ExecutionId = instance.ExecutionId,
            Status = OrchestrationRuntimeStatus.Pending,
            Input = instance.Input,
            CreatedAt = instance.CreatedAt,
            LastUpdatedAt = instance.CreatedAt,
            ParentInstanceId = instance.Parent?.InstanceId,
            Version = version,
        };
        _history[instance.InstanceId] = [];
        Enqueue(instance.StartMessage);
    }

    private void Enqueue(OrchestrationMessage message)
    {
        if (_instances.ContainsKey(message.InstanceId) && !_inbox.Exists(m => m.Message.Id == message.Id))
        {
            _inbox.Add(new MessageRow(message with { DeliveryCount = 0 }, _sequence++));
        }
    }

    private void Remove(string instanceId)
    {
        _instances.Remove(instanceId);
        _history.Remove(instanceId);
        _inbox.RemoveAll(m => m.Message.InstanceId == instanceId);
        _tasks.RemoveAll(t => t.Task.InstanceId == instanceId);
        _logs.Remove(instanceId);
    }
}
