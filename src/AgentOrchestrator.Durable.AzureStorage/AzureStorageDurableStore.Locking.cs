using System.Collections.Concurrent;
using System.Text.Json;
using AgentOrchestrator.Durable.Storage;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues.Models;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>Finding and locking instances: in-process hints first, then the control queues of the owned partitions.</summary>
public sealed partial class AzureStorageDurableStore
{
    private const int ReceiveBatch = 32;
    private static readonly TimeSpan ReceiveVisibility = TimeSpan.FromSeconds(30);
    private readonly ConcurrentQueue<(int Partition, QueueMessage Message)> _wakeUps = new();
    private int _nextQueue;

    /// <summary>What a lock attempt found.</summary>
    private enum LockOutcome
    {
        Locked,
        Busy,
        NotDue,
        Nothing,
    }

    /// <inheritdoc />
    public async Task<OrchestrationWorkItem?> TryLockOrchestrationAsync(LockRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _partitions.EnsureStartedAsync(cancellationToken);
        while (_orchestrationHints.TryTakeDue(request.Now, out var hinted))
        {
            var (outcome, item, retryAt) = await TryLockInstanceAsync(hinted, request, cancellationToken);
            if (item is not null)
            {
                return item;
            }

            if (outcome is LockOutcome.Busy)
            {
                // If an episode of this process holds it, its commit looks again; else the lock expiry does.
                _deliveredWhileLocked[hinted] = 0;
            }

            if (outcome is LockOutcome.Busy or LockOutcome.NotDue)
            {
                _orchestrationHints.Set(hinted, retryAt, keepEarlier: true);
            }
        }

        for (var budget = ReceiveBatch * 2; budget > 0; budget--)
        {
            if (!_wakeUps.TryDequeue(out var wakeUp) && (!await ReceiveWakeUpsAsync(cancellationToken) || !_wakeUps.TryDequeue(out wakeUp)))
            {
                return null;
            }

            if (await HandleWakeUpAsync(wakeUp.Partition, wakeUp.Message, request, cancellationToken) is { } item)
            {
                return item;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        if (await ReadStatusAsync(workItem.InstanceId, cancellationToken) is not { } row || row.LockToken != workItem.LockToken)
        {
            return;
        }

        var released = row.Copy();
        released.LockToken = null;
        released.LockedUntil = null;
        released.WakeAt = _time.GetUtcNow();
        try
        {
            await _clients.Instances.UpdateEntityAsync(released.Entity, row.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return; // Taken or changed meanwhile: nothing of ours to release.
        }

        _statusCache.TryRemove(workItem.InstanceId, out _);
        _orchestrationHints.Set(workItem.InstanceId, DateTimeOffset.MinValue);
    }

    private async Task<bool> ReceiveWakeUpsAsync(CancellationToken cancellationToken)
    {
        var owned = _partitions.Owned.ToArray();
        for (var i = 0; i < owned.Length; i++)
        {
            var partition = owned[(int)((uint)Interlocked.Increment(ref _nextQueue) % owned.Length)];
            QueueMessage[] messages = await _clients.Control[partition].ReceiveMessagesAsync(ReceiveBatch, ReceiveVisibility, cancellationToken);
            foreach (var message in messages)
            {
                _wakeUps.Enqueue((partition, message));
            }

            if (messages.Length > 0)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<OrchestrationWorkItem?> HandleWakeUpAsync(int partition, QueueMessage message, LockRequest request, CancellationToken cancellationToken)
    {
        var queue = _clients.Control[partition];
        var instanceId = message.Body.ToString();
        var (outcome, item, retryAt) = await TryLockInstanceAsync(instanceId, request, cancellationToken);
        try
        {
            switch (outcome)
            {
                case LockOutcome.Busy:
                    // Locked elsewhere: look again soon, backing off with each delivery, never later than the lock expires.
                    var backoff = TimeSpan.FromSeconds(Math.Min(30, message.DequeueCount));
                    var wait = retryAt - request.Now < backoff ? retryAt - request.Now : backoff;
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, message.Body, Max(wait, TimeSpan.FromSeconds(1)), cancellationToken);
                    break;
                case LockOutcome.NotDue:
                    _orchestrationHints.Set(instanceId, retryAt, keepEarlier: true);
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, message.Body, Max(QueueDelay(retryAt), TimeSpan.FromSeconds(1)), cancellationToken);
                    break;
                default:
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                    break;
            }
        }
        catch (RequestFailedException e) when (e.Status is 404 or 400)
        {
            // The pop receipt expired: another receiver has the wake-up now.
        }

        return item;
    }

    /// <summary>Locks one instance when it is free and has deliverable messages, incrementing their delivery counts.</summary>
    private async Task<(LockOutcome Outcome, OrchestrationWorkItem? Item, DateTimeOffset RetryAt)> TryLockInstanceAsync(
        string instanceId, LockRequest request, CancellationToken cancellationToken)
    {
        if (await TryLockKnownAsync(instanceId, request, cancellationToken) is { } known)
        {
            return (LockOutcome.Locked, known, default);
        }

        var range = await ReadLockRangeAsync(instanceId, cancellationToken);
        if (range.Status is not { } status)
        {
            return (LockOutcome.Nothing, null, default);
        }

        if (status.IsLocked(request.Now))
        {
            return (LockOutcome.Busy, null, status.LockedUntil!.Value);
        }

        var inbox = new List<(TableEntity Entity, OrchestrationMessage Message)>();
        foreach (var entity in range.Inbox)
        {
            try
            {
                inbox.Add((entity, await Rows.ReadInboxAsync(_codec, entity, instanceId, cancellationToken)));
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or FormatException or ArgumentNullException or RequestFailedException { Status: 404 })
            {
                await DeadLetterUnreadableAsync(instanceId, entity, e, cancellationToken);
            }
        }

        var deliverable = inbox
            .Where(m => IsDeliverable(m.Message, status.Status))
            .OrderBy(m => m.Message.VisibleAt).ThenBy(m => m.Entity.GetInt64("Seq") ?? 0)
            .ToList();
        var due = deliverable.Where(m => m.Message.VisibleAt <= request.Now).Take(Math.Min(request.MaxMessages, 50)).ToList();
        if (due.Count == 0)
        {
            return deliverable.Count > 0 ? (LockOutcome.NotDue, null, deliverable[0].Message.VisibleAt) : (LockOutcome.Nothing, null, default);
        }

        var locked = status.Copy();
        locked.LockToken = Guid.NewGuid().ToString("N");
        locked.LockedUntil = request.Now + request.LockDuration;
        locked.WakeAt = Max(locked.LockedUntil.Value, _time.GetUtcNow() + request.LockDuration);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateMerge, locked.LockPatch(), status.ETag) };
        foreach (var (entity, message) in due)
        {
            var counted = new TableEntity(entity.PartitionKey, entity.RowKey) { ["DeliveryCount"] = message.DeliveryCount + 1 };
            actions.Add(new(TableTransactionActionType.UpdateMerge, counted, entity.ETag));
        }

        try
        {
            var responses = (await _clients.Instances.SubmitTransactionAsync(actions, cancellationToken)).Value;
            locked.Entity.ETag = responses[0].Headers.ETag ?? default;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
        {
            return (LockOutcome.Busy, null, request.Now); // Lost a race; the winner holds it now.
        }

        var remaining = deliverable.Count > due.Count;
        var nextDue = deliverable.Skip(due.Count).Select(m => (DateTimeOffset?)m.Message.VisibleAt).FirstOrDefault();
        var heldBack = inbox.Any(m => !IsDeliverable(m.Message, status.Status));
        _statusCache[instanceId] = new CachedStatus(locked, remaining, nextDue, heldBack);
        _orchestrationHints.Set(instanceId, locked.LockedUntil.Value, keepEarlier: true); // In case this lock expires uncommitted.
        return (LockOutcome.Locked, new OrchestrationWorkItem(
            instanceId, status.ExecutionId, status.Name, status.Status, status.Version,
            [.. due.Select(m => m.Message with { DeliveryCount = m.Message.DeliveryCount + 1 })],
            locked.LockToken, locked.LockedUntil.Value), default);
    }

    /// <summary>
    /// Locks an instance without reading it when this process wrote its status row last and delivered the only
    /// messages waiting (activity results completed while no episode slot was free): one transaction instead of a
    /// query and a transaction. Null when the cache does not know enough or the ETag moved; nothing is written then.
    /// </summary>
    private async Task<OrchestrationWorkItem?> TryLockKnownAsync(string instanceId, LockRequest request, CancellationToken cancellationToken)
    {
        if (!_statusCache.TryGetValue(instanceId, out var cached) || cached.Known.Count == 0 || cached.Row.IsLocked(request.Now)
            || cached.InboxMayHaveMore || cached.HeldBack || cached.Row.Status != OrchestrationRuntimeStatus.Running
            || (cached.NextDueAt is { } due && due <= request.Now) || cached.Known.Any(m => m.VisibleAt > request.Now))
        {
            return null;
        }

        var messages = cached.Known.OrderBy(m => m.VisibleAt).Take(Math.Min(request.MaxMessages, 50)).ToList();
        var locked = cached.Row.Copy();
        locked.LockToken = Guid.NewGuid().ToString("N");
        locked.LockedUntil = request.Now + request.LockDuration;
        locked.WakeAt = Max(locked.LockedUntil.Value, _time.GetUtcNow() + request.LockDuration);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateMerge, locked.LockPatch(), cached.Row.ETag) };
        actions.AddRange(messages.Select(m => new TableTransactionAction(
            TableTransactionActionType.UpdateMerge, new TableEntity(locked.Entity.PartitionKey, TableKeys.Inbox(m.Id)) { ["DeliveryCount"] = 1 }, ETag.All)));
        try
        {
            var responses = (await _clients.Instances.SubmitTransactionAsync(actions, cancellationToken)).Value;
            locked.Entity.ETag = responses[0].Headers.ETag ?? default;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
        {
            _statusCache.TryRemove(instanceId, out _);
            return null;
        }

        _statusCache[instanceId] = new CachedStatus(locked, cached.Known.Count > messages.Count, cached.NextDueAt);
        _orchestrationHints.Set(instanceId, locked.LockedUntil.Value, keepEarlier: true);
        return new OrchestrationWorkItem(
            instanceId, locked.ExecutionId, locked.Name, locked.Status, locked.Version,
            [.. messages.Select(m => m with { DeliveryCount = 1 })], locked.LockToken, locked.LockedUntil.Value);
    }

    /// <summary>
    /// A message row that cannot be read would fail every episode of its instance forever; it is moved to the
    /// dead letters instead (in one transaction), where the client API shows it.
    /// </summary>
    private async Task DeadLetterUnreadableAsync(string instanceId, TableEntity entity, Exception error, CancellationToken cancellationToken)
    {
        _logger.UnreadableInboxRow(entity.RowKey, instanceId, error);
        var raw = entity.GetString("Event") ?? entity.GetString("EventBlob");
        var letter = new DeadLetter(
            entity.GetString("Id") ?? entity.RowKey[1..],
            instanceId,
            DeadLetterKind.Orchestration,
            "Unreadable",
            raw,
            entity.GetInt32("DeliveryCount") ?? 0,
            $"The inbox message could not be read: {error.Message}",
            _time.GetUtcNow());
        try
        {
            await _clients.Instances.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Delete, entity, entity.ETag),
                new TableTransactionAction(TableTransactionActionType.Add, await Rows.DeadLetterAsync(_codec, letter, cancellationToken)),
            ], cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            // Someone else moved it already.
        }
    }

    /// <summary>Pending and suspended instances get only control messages (start, resume, terminate), as in every store.</summary>
    private static bool IsDeliverable(OrchestrationMessage message, OrchestrationRuntimeStatus status)
        => message.IsControl || status == OrchestrationRuntimeStatus.Running;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
