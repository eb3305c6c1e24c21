using System.Collections.Concurrent;
using AgentOrchestrator.Durable.Storage;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues.Models;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>Activity tasks: rows in their instance's partition, announced on the work-item queue.</summary>
public sealed partial class AzureStorageDurableStore
{
    private const int WorkItemBatch = 4;
    private readonly ConcurrentDictionary<string, HeldTask> _heldTasks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<QueueMessage> _workItems = new();
    private readonly ConcurrentDictionary<string, byte> _deliveredWhileLocked = new(StringComparer.Ordinal);

    /// <summary>Task rows this process's checkpoints wrote unlocked, with the ETag the write returned, by task id.</summary>
    private readonly ConcurrentDictionary<string, TableEntity> _queuedTasks = new(StringComparer.Ordinal);

    /// <summary>What a completion wrote.</summary>
    private enum CompletionOutcome
    {
        Written,
        TaskGone,
        StatusStale,
    }

    /// <inheritdoc />
    public async Task<ActivityWorkItem?> TryLockActivityAsync(LockRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _partitions.EnsureStartedAsync(cancellationToken);
        while (_activityHints.TryTakeDue(request.Now, out var hinted))
        {
            var (outcome, item, retryAt) = await TryLockTaskAsync(hinted, request, null, cancellationToken);
            if (item is not null)
            {
                return item;
            }

            if (outcome == LockOutcome.Busy)
            {
                _activityHints.Set(hinted, retryAt, keepEarlier: true);
            }
        }

        for (var budget = WorkItemBatch * 4; budget > 0; budget--)
        {
            if (!_workItems.TryDequeue(out var message) && (!await ReceiveWorkItemsAsync(request, cancellationToken) || !_workItems.TryDequeue(out message)))
            {
                return null;
            }

            if (!TaskKey.TryParse(message.Body.ToString(), out var key))
            {
                _logger.UnreadableQueueMessage(message.MessageId, _clients.WorkItems.Name);
                await DeleteQuietlyAsync(message, cancellationToken);
                continue;
            }

            var (outcome, item, retryAt) = await TryLockTaskAsync(key, request, message, cancellationToken);
            if (item is not null)
            {
                return item;
            }

            if (outcome == LockOutcome.Busy)
            {
                await HideQuietlyAsync(message, Max(retryAt - request.Now, TimeSpan.FromSeconds(1)), cancellationToken);
            }
            else
            {
                await DeleteQuietlyAsync(message, cancellationToken);
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async Task<bool> RenewActivityLockAsync(ActivityWorkItem workItem, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var row = _heldTasks.TryGetValue(workItem.Task.Id, out var held) && held.Row.GetString("LockToken") == workItem.LockToken && attempt == 0
                ? held.Row
                : await ReadTaskAsync(workItem.Task, cancellationToken);
            if (row is null || row.GetString("LockToken") != workItem.LockToken)
            {
                return false;
            }

            var renewed = Copy(row);
            renewed.SetTime("LockedUntil", lockedUntil);
            try
            {
                var response = await _clients.Instances.UpdateEntityAsync(renewed, row.ETag, TableUpdateMode.Replace, cancellationToken);
                renewed.ETag = response.Headers.ETag ?? default;
                _heldTasks[workItem.Task.Id] = new HeldTask(renewed, held?.Message);
                _activityHints.Set(new TaskKey(workItem.Task.InstanceId, workItem.Task.Id), lockedUntil);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return false;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Changed since we read it: read again and check the lock is still ours.
            }
        }

        return false;
    }

    /// <inheritdoc />
    public async Task CompleteActivityAsync(ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(result);
        if (await CompleteCoreAsync(workItem, result, deadLetter, null, cancellationToken) == CompletionOutcome.Written)
        {
            Remember(result);
            await WakeQuietlyAsync(result.InstanceId, result.VisibleAt, cancellationToken);
        }

        await ReleaseHeldAsync(workItem.Task, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<OrchestrationWorkItem?> CompleteAndLockInstanceAsync(
        ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter, LockRequest instanceLock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(instanceLock);
        try
        {
            // The fast path: this process wrote the status row last, so it knows the ETag and that nothing else waits.
            var (outcome, locked) = await TryCompleteAndLockBlindAsync(workItem, result, deadLetter, instanceLock, cancellationToken);
            if (locked is not null)
            {
                return locked;
            }

            if (outcome == CompletionOutcome.StatusStale && await CompleteCoreAsync(workItem, result, deadLetter, null, cancellationToken) == CompletionOutcome.Written)
            {
                Remember(result);
            }

            var (_, item, _) = await TryLockInstanceAsync(result.InstanceId, instanceLock, cancellationToken);
            if (item is null)
            {
                await WakeQuietlyAsync(result.InstanceId, result.VisibleAt, cancellationToken);
            }

            return item;
        }
        finally
        {
            await ReleaseHeldAsync(workItem.Task, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task AbandonActivityAsync(ActivityWorkItem workItem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        _heldTasks.TryRemove(workItem.Task.Id, out var held);
        var row = await ReadTaskAsync(workItem.Task, cancellationToken);
        if (row is not null && row.GetString("LockToken") == workItem.LockToken)
        {
            var released = Copy(row);
            released.Remove("LockToken");
            released.Remove("LockedUntilTicks");
            try
            {
                await _clients.Instances.UpdateEntityAsync(released, row.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                return;
            }
        }

        _activityHints.Set(new TaskKey(workItem.Task.InstanceId, workItem.Task.Id), DateTimeOffset.MinValue);
        if (held?.Message is { } message)
        {
            await HideQuietlyAsync(message, TimeSpan.Zero, cancellationToken);
        }
    }

    /// <summary>
    /// Completes the activity and locks its instance in one transaction, without reading, when this process wrote the
    /// instance's status row last and nothing else waits in its inbox. StatusStale (nothing written) when it cannot.
    /// </summary>
    private async Task<(CompletionOutcome Outcome, OrchestrationWorkItem? Item)> TryCompleteAndLockBlindAsync(
        ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter, LockRequest instanceLock, CancellationToken cancellationToken)
    {
        if (!_statusCache.TryGetValue(result.InstanceId, out var cached) || !CanLockBlind(cached, result, instanceLock))
        {
            return (CompletionOutcome.StatusStale, null);
        }

        var locked = cached.Row.Copy();
        locked.LockToken = Guid.NewGuid().ToString("N");
        locked.LockedUntil = instanceLock.Now + instanceLock.LockDuration;
        locked.WakeAt = Max(locked.LockedUntil.Value, _time.GetUtcNow() + instanceLock.LockDuration);
        var outcome = await CompleteCoreAsync(workItem, result, deadLetter, locked, cancellationToken);
        if (outcome != CompletionOutcome.Written)
        {
            return (outcome, null);
        }

        _statusCache[result.InstanceId] = cached with { Row = locked };
        _orchestrationHints.Set(result.InstanceId, locked.LockedUntil.Value, keepEarlier: true);
        return (outcome, new OrchestrationWorkItem(
            result.InstanceId, locked.ExecutionId, locked.Name, locked.Status, locked.Version,
            [result with { DeliveryCount = 1 }], locked.LockToken, locked.LockedUntil.Value));
    }

    /// <summary>
    /// Notes a result this process put in an inbox without touching the status row: the next lock may take it blind.
    /// When an episode holds the instance now, that episode did not see it, so its commit must wake the instance again.
    /// </summary>
    private void Remember(OrchestrationMessage result)
    {
        if (!_statusCache.TryGetValue(result.InstanceId, out var current) || current.Row.LockToken is not null)
        {
            // An episode may hold the instance: its commit must wake it again (a stale mark costs one extra look).
            _deliveredWhileLocked[result.InstanceId] = 0;
            return;
        }

        while (_statusCache.TryGetValue(result.InstanceId, out var cached))
        {
            var known = cached.Row.LockToken is not null
                ? cached with { InboxMayHaveMore = true }
                : cached with { Known = [.. cached.Known, result with { DeliveryCount = 0 }] };
            if (_statusCache.TryUpdate(result.InstanceId, known, cached))
            {
                return;
            }
        }
    }

    private static bool CanLockBlind(CachedStatus cached, OrchestrationMessage result, LockRequest request)
        => !cached.Row.IsLocked(request.Now)
           && !cached.InboxMayHaveMore
           && cached.Known.Count == 0
           && (cached.NextDueAt is null || cached.NextDueAt > request.Now)
           && cached.Row.Status == OrchestrationRuntimeStatus.Running
           && result.VisibleAt <= request.Now;

    /// <summary>
    /// In one transaction: the result lands in the inbox (insert-if-absent), the task row goes, the dead letter is
    /// recorded and, when given, the status row takes the lock (conditional on the cached ETag).
    /// </summary>
    private async Task<CompletionOutcome> CompleteCoreAsync(
        ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter, StatusRow? lockedStatus, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Partition(workItem.Task.InstanceId);
        var includeResult = true;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Delete, new TableEntity(partition, TableKeys.Task(workItem.Task.Id)), ETag.All),
            };
            if (includeResult)
            {
                actions.Add(new(TableTransactionActionType.Add, await Rows.InboxAsync(_codec, result, lockedStatus is null ? 0 : 1, NextSequence(), cancellationToken)));
            }

            if (deadLetter is not null)
            {
                actions.Add(new(TableTransactionActionType.Add, await Rows.DeadLetterAsync(_codec, deadLetter, cancellationToken)));
            }

            if (lockedStatus is not null)
            {
                actions.Add(new(TableTransactionActionType.UpdateMerge, lockedStatus.LockPatch(), lockedStatus.ETag));
            }

            try
            {
                var responses = (await _clients.Instances.SubmitTransactionAsync(actions, cancellationToken)).Value;
                if (lockedStatus is not null)
                {
                    lockedStatus.Entity.ETag = responses[^1].Headers.ETag ?? default;
                }

                return CompletionOutcome.Written;
            }
            catch (TableTransactionFailedException e) when (e.Status == 404 && e.FailedTransactionActionIndex is null or 0)
            {
                return CompletionOutcome.TaskGone; // Completed already (by a worker whose lock had expired, or by this one before).
            }
            catch (TableTransactionFailedException e) when (e.Status == 409 && includeResult && e.FailedTransactionActionIndex is null or 1)
            {
                includeResult = false; // The result is there already.
            }
            catch (TableTransactionFailedException e) when (e.Status is 412 or 404 && lockedStatus is not null)
            {
                return CompletionOutcome.StatusStale;
            }
        }

        return CompletionOutcome.TaskGone;
    }

    private async Task<(LockOutcome Outcome, ActivityWorkItem? Item, DateTimeOffset RetryAt)> TryLockTaskAsync(
        TaskKey key, LockRequest request, QueueMessage? message, CancellationToken cancellationToken)
    {
        // A task row this process wrote unlocked (no activity slot was free then) is locked without reading it first;
        // if someone changed it since, the conditional write fails and the row is read.
        _queuedTasks.TryRemove(key.TaskId, out var written);
        var row = written ?? await ReadTaskRowAsync(key, cancellationToken);
        if (row is null)
        {
            return (LockOutcome.Nothing, null, default);
        }

        if (row.NullableTime("LockedUntil") is { } until && until > request.Now)
        {
            return (LockOutcome.Busy, null, until);
        }

        var locked = Copy(row);
        var deliveries = (row.GetInt32("DeliveryCount") ?? 0) + 1;
        var token = Guid.NewGuid().ToString("N");
        var lockedUntil = request.Now + request.LockDuration;
        locked["DeliveryCount"] = deliveries;
        locked["LockToken"] = token;
        locked.SetTime("LockedUntil", lockedUntil);
        try
        {
            var update = await _clients.Instances.UpdateEntityAsync(locked, row.ETag, TableUpdateMode.Replace, cancellationToken);
            locked.ETag = update.Headers.ETag ?? default;
        }
        catch (RequestFailedException e) when (e.Status == 412 && written is not null)
        {
            return await TryLockTaskAsync(key, request, message, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return (LockOutcome.Busy, null, request.Now + TimeSpan.FromSeconds(1));
        }

        var previous = _heldTasks.TryGetValue(key.TaskId, out var held) ? held.Message : null;
        _heldTasks[key.TaskId] = new HeldTask(locked, message ?? previous);
        _activityHints.Set(key, lockedUntil);
        var task = await Rows.ReadTaskAsync(_codec, locked, key.InstanceId, cancellationToken);
        return (LockOutcome.Locked, new ActivityWorkItem(task, deliveries, token, lockedUntil), default);
    }

    private async Task<TableEntity?> ReadTaskRowAsync(TaskKey key, CancellationToken cancellationToken)
    {
        var response = await _clients.Instances.GetEntityIfExistsAsync<TableEntity>(TableKeys.Partition(key.InstanceId), TableKeys.Task(key.TaskId), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private async Task<bool> ReceiveWorkItemsAsync(LockRequest request, CancellationToken cancellationToken)
    {
        QueueMessage[] messages = await _clients.WorkItems.ReceiveMessagesAsync(WorkItemBatch, Max(request.LockDuration, TimeSpan.FromSeconds(1)), cancellationToken);
        foreach (var message in messages)
        {
            _workItems.Enqueue(message);
        }

        return messages.Length > 0;
    }

    private async Task EnqueueTaskAsync(TaskKey key, CancellationToken cancellationToken)
        => await _clients.WorkItems.SendMessageAsync(key.ToMessage(), TimeSpan.Zero, TimeSpan.FromSeconds(-1), cancellationToken);

    private async Task<TableEntity?> ReadTaskAsync(ActivityTask task, CancellationToken cancellationToken)
    {
        var response = await _clients.Instances.GetEntityIfExistsAsync<TableEntity>(TableKeys.Partition(task.InstanceId), TableKeys.Task(task.Id), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Forgets a finished task: its hint goes and its work-item queue message is deleted.</summary>
    private async Task ReleaseHeldAsync(ActivityTask task, CancellationToken cancellationToken)
    {
        _activityHints.Remove(new TaskKey(task.InstanceId, task.Id));
        if (_heldTasks.TryRemove(task.Id, out var held) && held.Message is { } message)
        {
            await DeleteQuietlyAsync(message, cancellationToken);
        }
    }

    private async Task DeleteQuietlyAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _clients.WorkItems.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 400)
        {
            // Its pop receipt expired: the message surfaced again and whoever receives it finds the task gone.
        }
    }

    private async Task HideQuietlyAsync(QueueMessage message, TimeSpan visibility, CancellationToken cancellationToken)
    {
        try
        {
            await _clients.WorkItems.UpdateMessageAsync(message.MessageId, message.PopReceipt, message.Body, visibility > MaxQueueDelay ? MaxQueueDelay : visibility, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 400)
        {
            // Received by someone else meanwhile.
        }
    }

    private static TableEntity Copy(TableEntity row)
    {
        var copy = new TableEntity(row.PartitionKey, row.RowKey) { ETag = row.ETag };
        foreach (var (key, value) in row)
        {
            if (key is not ("odata.etag" or "PartitionKey" or "RowKey" or "Timestamp"))
            {
                copy[key] = value;
            }
        }

        return copy;
    }
}
