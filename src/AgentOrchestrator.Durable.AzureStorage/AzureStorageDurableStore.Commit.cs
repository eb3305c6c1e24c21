using System.Text.Json;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using Azure;
using Azure.Data.Tables;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>The checkpoint: one entity-group transaction per episode, then the queue messages it implies.</summary>
public sealed partial class AzureStorageDurableStore
{
    /// <summary>The most entities one entity-group transaction may hold.</summary>
    internal const int MaxBatch = 100;

    /// <summary>The most status rows kept for blind locking; beyond it the cache starts over.</summary>
    private const int MaxCachedStatuses = 10_000;

    /// <inheritdoc />
    public async Task<long> CommitOrchestrationAsync(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken = default)
        => (await CommitCoreAsync(workItem, checkpoint, activityLock: null, maxActivities: 0, cancellationToken)).Version;

    /// <inheritdoc />
    public Task<HandoffCommit> CommitAndLockActivitiesAsync(
        OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, LockRequest activityLock, int maxActivities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activityLock);
        return CommitCoreAsync(workItem, checkpoint, activityLock, maxActivities, cancellationToken);
    }

    private async Task<HandoffCommit> CommitCoreAsync(
        OrchestrationWorkItem item, OrchestrationCheckpoint checkpoint, LockRequest? activityLock, int maxActivities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var cached = _statusCache.TryGetValue(item.InstanceId, out var entry) && entry.Row.LockToken == item.LockToken ? entry : null;
        var current = cached?.Row ?? await ReadStatusAsync(item.InstanceId, cancellationToken);
        if (current is null || current.Version != item.Version)
        {
            throw new OrchestrationConcurrencyException(item.InstanceId, item.Version);
        }

        if (checkpoint.LogEntries.Count > 0)
        {
            // The log has its own head row and ETag, so it is appended in a write of its own, first: a crash between the
            // two loses nothing, and the episode that runs again carries the same dedupe keys, so it adds nothing twice.
            await AppendLogAsync(item.InstanceId, checkpoint.LogEntries, cancellationToken);
        }

        var now = _time.GetUtcNow();
        var handed = activityLock is null ? 0 : Math.Clamp(maxActivities, 0, checkpoint.ActivityTasks.Count);
        var fixedRows = await BuildCheckpointRowsAsync(item, checkpoint, activityLock, handed, cancellationToken);
        if (!FitsOneTransaction(2 + checkpoint.ConsumedMessageIds.Distinct(StringComparer.Ordinal).Count() + fixedRows.All.Count(), fixedRows.All))
        {
            handed = 0;
            fixedRows = await BundleAsync(item, checkpoint, cancellationToken);
        }
        // Messages may wait that this episode did not see: more than it could take, events held back while the
        // instance was suspended (deliverable now if it resumed), or unknown ones when nothing was cached.
        var mayHaveMore = cached is null || cached.InboxMayHaveMore || (cached.HeldBack && checkpoint.Instance.Status == OrchestrationRuntimeStatus.Running)
            || cached.Known.Any(m => !checkpoint.ConsumedMessageIds.Contains(m.Id));
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        var touchedByOthers = false;
        for (var attempt = 0; ; attempt++)
        {
            var status = await NextStatusAsync(current, item, checkpoint, cancellationToken);
            status.WakeAt = WakeAtAfterCommit(checkpoint, fixedRows, handed, activityLock, now, touchedByOthers || mayHaveMore);
            if (!checkpoint.Instance.Status.IsTerminal() && current.WakeAt is { } earlier && (status.WakeAt is null || earlier < status.WakeAt))
            {
                // Never clear a running instance's wake-up: activities scheduled by earlier episodes may still be out
                // (a fan-out), and only the sweep notices their worker died. It clears the time once nothing is out.
                status.WakeAt = earlier;
            }

            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, status.Entity, current.ETag) };
            if (checkpoint.NewEvents.Count > 0)
            {
                var history = new TableEntity(status.Entity.PartitionKey, TableKeys.History(status.HistoryGeneration, status.HistorySequence - 1));
                await _codec.SetAsync(history, "Events", SerializeEvents(checkpoint.NewEvents), cancellationToken);
                actions.Add(new(TableTransactionActionType.Add, history));
            }

            actions.AddRange(checkpoint.ConsumedMessageIds.Distinct(StringComparer.Ordinal).Select(id =>
                new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(status.Entity.PartitionKey, TableKeys.Inbox(id)), ETag.All)));
            actions.AddRange(fixedRows.All.Where(e => !skipped.Contains(e.RowKey)).Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
            if (actions.Count > MaxBatch)
            {
                throw new InvalidOperationException(
                    $"The checkpoint of '{item.InstanceId}' needs {actions.Count} table entities; one entity-group transaction holds at most {MaxBatch}. "
                    + "Schedule fewer activities or messages per episode (fan out through sub-orchestrations).");
            }

            try
            {
                var responses = (await _clients.Instances.SubmitTransactionAsync(actions, cancellationToken)).Value;
                status.Entity.ETag = responses[0].Headers.ETag ?? default;
                return await AfterCommitAsync(item, checkpoint, status, fixedRows, actions, responses, handed, activityLock, touchedByOthers || mayHaveMore, cancellationToken);
            }
            catch (TableTransactionFailedException e) when (attempt < 5)
            {
                if (e.Status == 409 && e.FailedTransactionActionIndex is { } index && index > 0 && actions[index].ActionType == TableTransactionActionType.Add)
                {
                    skipped.Add(actions[index].Entity.RowKey); // Already there (insert-if-absent): leave it as it is.
                    continue;
                }

                var fresh = await ReadStatusAsync(item.InstanceId, cancellationToken);
                if (fresh is null || fresh.Version != item.Version)
                {
                    throw new OrchestrationConcurrencyException(item.InstanceId, item.Version);
                }

                _logger.CheckpointRetried(item.InstanceId);
                current = fresh;
                touchedByOthers = true;
            }
        }
    }

    /// <summary>
    /// The events of one checkpoint as the JSON array <see cref="HistorySerializer.DeserializeHistory"/> reads, written with
    /// the shared options (HistorySerializer.SerializeHistory builds indented options per call, too slow for every commit).
    /// </summary>
    private static string SerializeEvents(IReadOnlyList<HistoryEvent> events)
        => JsonSerializer.Serialize(events as List<HistoryEvent> ?? [.. events], DataConverter.DefaultOptions);

    /// <summary>The status row the checkpoint leaves: new version, new history position, lock released if still ours.</summary>
    private async Task<StatusRow> NextStatusAsync(StatusRow current, OrchestrationWorkItem item, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var status = current.Copy();
        var update = checkpoint.Instance;
        status.ExecutionId = update.ExecutionId;
        status.Status = update.Status;
        status.Failure = update.Failure;
        status.LastUpdatedAt = update.LastUpdatedAt;
        status.CompletedAt = update.CompletedAt;
        status.Version = item.Version + 1;
        await _codec.SetAsync(status.Entity, "Input", update.Input, cancellationToken);
        await _codec.SetAsync(status.Entity, "Output", update.Output, cancellationToken);
        await _codec.SetAsync(status.Entity, "CustomStatus", update.CustomStatus, cancellationToken);
        if (checkpoint.ReplacesHistory)
        {
            status.HistoryGeneration++;
            status.HistorySequence = 0;
        }

        if (checkpoint.NewEvents.Count > 0)
        {
            status.HistorySequence++;
        }

        if (status.LockToken == item.LockToken)
        {
            status.LockToken = null;
            status.LockedUntil = null;
        }

        return status;
    }

    /// <summary>When the partition sweep should look at the instance in case this process dies before the work it implies is picked up.</summary>
    private DateTimeOffset? WakeAtAfterCommit(
        OrchestrationCheckpoint checkpoint, CheckpointRows rows, int handed, LockRequest? activityLock, DateTimeOffset now, bool inboxMayHaveMore)
    {
        DateTimeOffset? wake = null;
        if (rows.Outbox.Count > 0 || rows.SelfMessages.Count > 0 || rows.Tasks.Count > handed || inboxMayHaveMore)
        {
            wake = now + _options.RecoveryGrace;
        }

        if (handed > 0 && activityLock is not null)
        {
            var lockExpiry = now + activityLock.LockDuration;
            wake = wake is { } w && w < lockExpiry ? w : lockExpiry;
        }

        return wake;
    }

    private async Task<CheckpointRows> BuildCheckpointRowsAsync(
        OrchestrationWorkItem item, OrchestrationCheckpoint checkpoint, LockRequest? activityLock, int handed, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Partition(item.InstanceId);
        var rows = new CheckpointRows();
        for (var i = 0; i < checkpoint.ActivityTasks.Count; i++)
        {
            var task = await Rows.TaskAsync(_codec, checkpoint.ActivityTasks[i], cancellationToken);
            if (i < handed && activityLock is not null)
            {
                task["DeliveryCount"] = 1;
                task["LockToken"] = Guid.NewGuid().ToString("N");
                task.SetTime("LockedUntil", activityLock.Now + activityLock.LockDuration);
            }

            rows.Tasks.Add(task);
        }

        foreach (var message in checkpoint.Messages)
        {
            if (message.InstanceId == item.InstanceId)
            {
                rows.SelfMessages.Add((await Rows.InboxAsync(_codec, message, 0, NextSequence(), cancellationToken), message));
            }
            else
            {
                rows.Outbox.Add(await Rows.OutboxAsync(_codec, partition, message.Id, message, cancellationToken));
            }
        }

        foreach (var child in checkpoint.NewInstances)
        {
            rows.Outbox.Add(await Rows.OutboxAsync(_codec, partition, $"new:{child.InstanceId}", child, cancellationToken));
        }

        foreach (var letter in checkpoint.DeadLetters)
        {
            rows.DeadLetters.Add(await Rows.DeadLetterAsync(_codec, letter with { InstanceId = item.InstanceId }, cancellationToken));
        }

        return rows;
    }

    private async Task<HandoffCommit> AfterCommitAsync(
        OrchestrationWorkItem item,
        OrchestrationCheckpoint checkpoint,
        StatusRow status,
        CheckpointRows rows,
        List<TableTransactionAction> actions,
        IReadOnlyList<Response> responses,
        int handed,
        LockRequest? activityLock,
        bool mayHaveMore,
        CancellationToken cancellationToken)
    {
        var consumed = checkpoint.ConsumedMessageIds.ToHashSet(StringComparer.Ordinal);
        var inboxMayHaveMore = _deliveredWhileLocked.TryRemove(item.InstanceId, out _) | mayHaveMore || item.Messages.Any(m => !consumed.Contains(m.Id));
        var nextDue = rows.SelfMessages.Select(m => (DateTimeOffset?)m.Message.VisibleAt).Min();
        if (status.Status.IsTerminal())
        {
            _statusCache.TryRemove(item.InstanceId, out _);
        }
        else
        {
            if (_statusCache.Count >= MaxCachedStatuses)
            {
                _statusCache.Clear(); // A cache, not state: a miss costs one read.
            }

            _statusCache[item.InstanceId] = new CachedStatus(status, inboxMayHaveMore, nextDue);
        }

        _orchestrationHints.Remove(item.InstanceId, item.LockedUntil); // The lock-expiry hint; a newer one stays.
        if (inboxMayHaveMore && !status.Status.IsTerminal())
        {
            _orchestrationHints.Set(item.InstanceId, DateTimeOffset.MinValue);
        }

        var locked = new List<ActivityWorkItem>();
        for (var i = 0; i < handed && activityLock is not null; i++)
        {
            var row = rows.Tasks[i];
            var index = actions.FindIndex(a => a.Entity.RowKey == row.RowKey);
            if (index < 0)
            {
                continue; // It existed already; it is not ours to run.
            }

            row.ETag = responses[index].Headers.ETag ?? default;
            var task = checkpoint.ActivityTasks[i];
            var lockedUntil = row.Time("LockedUntil");
            _heldTasks[task.Id] = new HeldTask(row, null);
            _activityHints.Set(new TaskKey(item.InstanceId, task.Id), lockedUntil);
            locked.Add(new ActivityWorkItem(task, 1, row.GetString("LockToken")!, lockedUntil));
        }

        for (var i = handed; i < rows.Tasks.Count && !rows.Bundled; i++)
        {
            var index = actions.FindIndex(a => a.Entity.RowKey == rows.Tasks[i].RowKey);
            if (index >= 0)
            {
                if (_queuedTasks.Count >= MaxCachedStatuses)
                {
                    _queuedTasks.Clear();
                }

                rows.Tasks[i].ETag = responses[index].Headers.ETag ?? default;
                _queuedTasks[checkpoint.ActivityTasks[i].Id] = rows.Tasks[i];
            }
        }

        try
        {
            foreach (var task in rows.Bundled ? [] : checkpoint.ActivityTasks.Skip(handed))
            {
                await EnqueueTaskAsync(new TaskKey(item.InstanceId, task.Id), cancellationToken);
            }

            foreach (var (_, message) in rows.SelfMessages)
            {
                await WakeAsync(item.InstanceId, message.VisibleAt, cancellationToken);
            }

            if (rows.Outbox.Count > 0)
            {
                await DispatchOutboxAsync(rows.Outbox, cancellationToken);
            }
        }
        catch (RequestFailedException e)
        {
            _logger.DispatchFailed(item.InstanceId, e); // The status row's wake-up time brings the sweep.
        }

        if (checkpoint.ReplacesHistory)
        {
            await DeleteOldHistoryQuietlyAsync(status, cancellationToken);
        }

        return new HandoffCommit(status.Version, locked);
    }

    /// <summary>After continue-as-new, the previous generations' history rows are garbage; delete them, best effort.</summary>
    private async Task DeleteOldHistoryQuietlyAsync(StatusRow status, CancellationToken cancellationToken)
    {
        try
        {
            var old = new List<TableEntity>();
            await foreach (var entity in _clients.Instances.QueryAsync<TableEntity>(
                Range(status.Entity.PartitionKey, TableKeys.HistoryPrefix, TableKeys.HistoryGeneration(status.HistoryGeneration)),
                select: ["PartitionKey", "RowKey"],
                cancellationToken: cancellationToken))
            {
                old.Add(entity);
            }

            foreach (var chunk in old.Chunk(MaxBatch))
            {
                await _clients.Instances.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken);
            }
        }
        catch (RequestFailedException e)
        {
            _logger.DispatchFailed(status.InstanceId, e); // Garbage stays until the instance is purged.
        }
    }

    /// <summary>The rows a checkpoint adds besides the status and history rows.</summary>
    private sealed class CheckpointRows
    {
        /// <summary>True when tasks and messages travel in one bundle row, expanded after the commit.</summary>
        public bool Bundled { get; init; }

        public List<TableEntity> Tasks { get; } = [];

        public List<(TableEntity Row, OrchestrationMessage Message)> SelfMessages { get; } = [];

        public List<TableEntity> Outbox { get; } = [];

        public List<TableEntity> DeadLetters { get; } = [];

        public IEnumerable<TableEntity> All => Tasks.Concat(SelfMessages.Select(m => m.Row)).Concat(Outbox).Concat(DeadLetters);
    }
}
