using System.Collections.Concurrent;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>
/// The durable store on Azure Storage: one table partition per instance (status row, history, inbox, outbox,
/// activity tasks, dead letters), so each checkpoint is one entity-group transaction guarded by the status row's
/// ETag; partitioned control queues carry wake-ups, one work-item queue carries activity tasks, blobs hold large
/// payloads and the partition leases. The table is the truth; queue messages and in-process hints only say where
/// to look, and a per-partition sweep finds work whose queue message was lost to a crash.
/// </summary>
public sealed partial class AzureStorageDurableStore : IDurableStore, IDurableStoreHandoff, IAsyncDisposable
{
    private static readonly TimeSpan MaxQueueDelay = TimeSpan.FromDays(6);
    private readonly AzureStorageStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StorageClients _clients;
    private readonly PayloadCodec _codec;
    private readonly PartitionManager _partitions;
    private readonly LocalHints<string> _orchestrationHints = new();
    private readonly LocalHints<TaskKey> _activityHints = new();
    private readonly ConcurrentDictionary<string, CachedStatus> _statusCache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _initialize = new(1, 1);
    private bool _initialized;
    private long _sequence;

    /// <summary>Creates the store; call <see cref="InitializeAsync"/> before use.</summary>
    public AzureStorageDurableStore(AzureStorageStoreOptions options, TimeProvider? time = null, ILogger<AzureStorageDurableStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _clients = new StorageClients(options);
        _codec = new PayloadCodec(_clients.Payloads, options.MaxInlinePayloadChars);
        _partitions = new PartitionManager(_clients, options, _time, _logger, SweepPartitionAsync);
    }

    /// <summary>The partitions whose control queues this process polls now.</summary>
    public IReadOnlyCollection<int> OwnedPartitions => _partitions.Owned;

    /// <summary>Raised when this process acquires or gives up a partition.</summary>
    public event EventHandler? OwnedPartitionsChanged
    {
        add => _partitions.Changed += value;
        remove => _partitions.Changed -= value;
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _initialize.WaitAsync(cancellationToken);
        try
        {
            if (!_initialized)
            {
                await _clients.CreateAllAsync(cancellationToken);
                _initialized = true;
            }
        }
        finally
        {
            _initialize.Release();
        }
    }

    /// <inheritdoc />
    public async Task CreateInstanceAsync(NewInstance instance, IReadOnlyCollection<OrchestrationRuntimeStatus> dedupeStatuses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(dedupeStatuses);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await ReadLockRangeAsync(instance.InstanceId, cancellationToken);
            if (existing.Status is { } row && dedupeStatuses.Contains(row.Status))
            {
                throw new InstanceAlreadyExistsException(instance.InstanceId, row.Status);
            }

            try
            {
                await WriteNewInstanceAsync(instance, existing, cancellationToken);
                break;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 or 404 && attempt < 5)
            {
                // Created or changed by someone else since the read: read again and decide again.
            }
        }

        await WakeQuietlyAsync(instance.InstanceId, instance.StartAt, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> SendMessageAsync(OrchestrationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!await DeliverAsync(message, cancellationToken))
        {
            return false;
        }

        await WakeQuietlyAsync(message.InstanceId, message.VisibleAt, cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
        => await ReadStatusAsync(instanceId, cancellationToken) is { } row ? await row.ToMetadataAsync(_codec, cancellationToken) : null;

    /// <inheritdoc />
    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (await ReadStatusAsync(instanceId, cancellationToken) is not { } row)
        {
            return [];
        }

        var prefix = TableKeys.HistoryGeneration(row.HistoryGeneration);
        var events = new List<HistoryEvent>();
        var partition = TableKeys.Partition(instanceId);
        await foreach (var entity in _clients.Instances.QueryAsync<TableEntity>(Range(partition, prefix, TableKeys.PrefixEnd(prefix)), cancellationToken: cancellationToken))
        {
            events.AddRange(HistorySerializer.DeserializeHistory((await _codec.GetAsync(entity, "Events", cancellationToken))!));
        }

        return events;
    }

    /// <summary>Stops the partition maintenance and releases this process's leases so other workers take over at once.</summary>
    public async ValueTask DisposeAsync()
    {
        await _partitions.DisposeAsync();
    }

    /// <summary>Inserts a message into an existing instance's inbox (insert-if-absent) and marks the instance for the sweep.</summary>
    /// <returns>False when the instance does not exist.</returns>
    private async Task<bool> DeliverAsync(OrchestrationMessage message, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Partition(message.InstanceId);
        var mark = new TableEntity(partition, TableKeys.Status);
        mark.SetTime("WakeAt", _time.GetUtcNow() + _options.RecoveryGrace);
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Add, await Rows.InboxAsync(_codec, message, 0, NextSequence(), cancellationToken)),
            new(TableTransactionActionType.UpdateMerge, mark, ETag.All),
        };
        try
        {
            await _clients.Instances.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            return false;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return await ReadStatusAsync(message.InstanceId, cancellationToken) is not null; // A duplicate: the first copy is there.
        }
    }

    private async Task WriteNewInstanceAsync(NewInstance instance, LockRange existing, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Partition(instance.InstanceId);
        var row = StatusRow.Create(partition);
        row.InstanceId = instance.InstanceId;
        row.Name = instance.Name;
        row.ExecutionId = instance.ExecutionId;
        row.Status = OrchestrationRuntimeStatus.Pending;
        row.CreatedAt = instance.CreatedAt;
        row.LastUpdatedAt = instance.CreatedAt;
        row.ParentInstanceId = instance.Parent?.InstanceId;
        row.ControlPartition = TableKeys.ControlPartition(instance.InstanceId, _options.PartitionCount);
        row.WakeAt = _time.GetUtcNow() + _options.RecoveryGrace;
        await _codec.SetAsync(row.Entity, "Input", instance.Input, cancellationToken);
        var start = await Rows.InboxAsync(_codec, instance.StartMessage, 0, NextSequence(), cancellationToken);
        var actions = new List<TableTransactionAction>();
        List<TableEntity> oldLog = [];
        if (existing.Status is { } old)
        {
            // Replace a finished instance: a new history generation, and its leftover inbox, outbox and tasks go.
            row.Version = old.Version + 1;
            row.HistoryGeneration = old.HistoryGeneration + 1;
            actions.Add(new(TableTransactionActionType.UpdateReplace, row.Entity, old.ETag));
            var leftovers = existing.Inbox.Concat(existing.Outbox).Concat(existing.Tasks).Where(e => e.RowKey != start.RowKey).ToList();
            foreach (var chunk in leftovers.Chunk(90).SkipLast(1))
            {
                await _clients.Instances.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
            }

            actions.AddRange(leftovers.Chunk(90).LastOrDefault([]).Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)));
            actions.Add(new(existing.Inbox.Any(e => e.RowKey == start.RowKey) ? TableTransactionActionType.UpsertReplace : TableTransactionActionType.Add, start));

            // The old event log goes with it: its head in the same transaction (unless an append moved it since; then
            // the transaction fails and the caller reads again), its other rows afterwards.
            oldLog = await ReadLogRowsAsync(partition, cancellationToken);
            if (oldLog.Find(e => e.RowKey == TableKeys.LogHead) is { } logHead)
            {
                actions.Add(new(TableTransactionActionType.Delete, logHead, logHead.ETag));
            }
        }
        else
        {
            actions.Add(new(TableTransactionActionType.Add, row.Entity));
            actions.Add(new(TableTransactionActionType.Add, start));
        }

        await _clients.Instances.SubmitTransactionAsync(actions, cancellationToken);
        _statusCache.TryRemove(instance.InstanceId, out _);
        _logHeads.TryRemove(partition, out _);
        if (oldLog.Count > 1)
        {
            await DeleteOldLogQuietlyAsync(instance.InstanceId, [.. oldLog.Where(e => e.RowKey != TableKeys.LogHead)], cancellationToken);
        }
    }

    /// <summary>After a replace, the old log's records and dedupe rows are garbage nobody reads; delete them, best effort.</summary>
    private async Task DeleteOldLogQuietlyAsync(string instanceId, IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken)
    {
        try
        {
            await DeleteUnchangedRowsAsync(rows, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            _logger.GarbageDeleteFailed(instanceId, e);
        }
    }

    private async Task<StatusRow?> ReadStatusAsync(string instanceId, CancellationToken cancellationToken)
    {
        var response = await _clients.Instances.GetEntityIfExistsAsync<TableEntity>(TableKeys.Partition(instanceId), TableKeys.Status, cancellationToken: cancellationToken);
        return response.HasValue ? new StatusRow(response.Value!) : null;
    }

    /// <summary>Reads the rows a lock needs in one query: inbox, outbox, status and tasks (not history, not dead letters).</summary>
    private async Task<LockRange> ReadLockRangeAsync(string instanceId, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Partition(instanceId);
        var range = new LockRange();
        await foreach (var entity in _clients.Instances.QueryAsync<TableEntity>(Range(partition, TableKeys.InboxPrefix, TableKeys.LockRangeEnd), cancellationToken: cancellationToken))
        {
            switch (entity.RowKey[0])
            {
                case 'm': range.Inbox.Add(entity); break;
                case 'o': range.Outbox.Add(entity); break;
                case 's': range.Status = new StatusRow(entity); break;
                case 't': range.Tasks.Add(entity); break;
                default: break;
            }
        }

        return range;
    }

    /// <summary>
    /// Wakes the instance. When this process owns its partition, an in-process hint does it (the status row's wake-up
    /// time covers a crash); otherwise, and for every timer due later than the recovery grace, a control queue message,
    /// delayed until the message is due (re-armed when it surfaces before, past the queue's 7-day visibility cap).
    /// </summary>
    private async Task WakeAsync(string instanceId, DateTimeOffset visibleAt, CancellationToken cancellationToken)
    {
        var partition = TableKeys.ControlPartition(instanceId, _options.PartitionCount);
        if (_partitions.Owns(partition))
        {
            _orchestrationHints.Set(instanceId, visibleAt, keepEarlier: true);
            if (visibleAt <= _time.GetUtcNow() + _options.RecoveryGrace)
            {
                return;
            }
        }

        await _clients.Control[partition].SendMessageAsync(instanceId, QueueDelay(visibleAt), TimeSpan.FromSeconds(-1), cancellationToken);
    }

    /// <summary>Wakes the instance; a failure is logged, not thrown, because the status row's wake-up time covers it.</summary>
    private async Task WakeQuietlyAsync(string instanceId, DateTimeOffset visibleAt, CancellationToken cancellationToken)
    {
        try
        {
            await WakeAsync(instanceId, visibleAt, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            _logger.DispatchFailed(instanceId, e);
        }
    }

    /// <summary>A queue visibility delay until <paramref name="visibleAt"/>: whole seconds, capped below the 7-day limit (re-armed when it surfaces early).</summary>
    private TimeSpan QueueDelay(DateTimeOffset visibleAt)
    {
        var delay = visibleAt - _time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        return delay > MaxQueueDelay ? MaxQueueDelay : TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds));
    }

    /// <summary>A filter for the rows of one partition whose keys lie in [from, to).</summary>
    private static string Range(string partition, string from, string to)
        => TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}");

    private long NextSequence()
    {
        var now = _time.GetUtcNow().UtcTicks;
        while (true)
        {
            var last = Interlocked.Read(ref _sequence);
            var next = Math.Max(last + 1, now);
            if (Interlocked.CompareExchange(ref _sequence, next, last) == last)
            {
                return next;
            }
        }
    }

    /// <summary>The lock-range rows of one instance.</summary>
    private sealed class LockRange
    {
        public StatusRow? Status { get; set; }

        public List<TableEntity> Inbox { get; } = [];

        public List<TableEntity> Outbox { get; } = [];

        public List<TableEntity> Tasks { get; } = [];
    }
}
