using AgentOrchestrator.Durable.Storage;
using Azure;
using Azure.Data.Tables;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>
/// The partition sweep and the outbox. A write that must be followed by queue messages sets the status row's
/// wake-up time first; the owner of the instance's partition looks at every instance whose wake-up time has passed
/// and re-sends what was lost: outbox items, activity tasks whose lock expired, inbox messages nobody took.
/// </summary>
public sealed partial class AzureStorageDurableStore
{
    /// <summary>Sweeps the given partitions once; the partition manager calls it after every lease round.</summary>
    internal async Task SweepPartitionAsync(IReadOnlyCollection<int> partitions, CancellationToken cancellationToken)
    {
        if (partitions.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var owned = string.Join(" or ", partitions.Select(p => TableClient.CreateQueryFilter($"P eq {p}")));
        var filter = TableClient.CreateQueryFilter($"RowKey eq {TableKeys.Status} and WakeAtTicks le {now.UtcTicks}") + $" and ({owned})";
        foreach (var row in await ScanStatusRowsAsync(filter, cancellationToken))
        {
            try
            {
                await RecoverInstanceAsync(row.ControlPartition, row.InstanceId, now, cancellationToken);
            }
            catch (RequestFailedException e)
            {
                _logger.DispatchFailed(row.InstanceId, e);
            }
        }
    }

    private async Task RecoverInstanceAsync(int partition, string instanceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var range = await ReadLockRangeAsync(instanceId, cancellationToken);
        if (range.Status is not { } status)
        {
            return;
        }

        if (range.Outbox.Count > 0)
        {
            await DispatchOutboxAsync(range.Outbox, cancellationToken);
        }

        DateTimeOffset? next = null;
        var sentTasks = 0;
        foreach (var task in range.Tasks)
        {
            if (task.NullableTime("LockedUntil") is { } until && until > now)
            {
                next = Min(next, until);
                continue;
            }

            await EnqueueTaskAsync(new TaskKey(instanceId, task.GetString("Id")!), cancellationToken);
            sentTasks++;
        }

        var inboxWaiting = false;
        if (status.IsLocked(now))
        {
            next = Min(next, status.LockedUntil!.Value);
        }
        else
        {
            var earliest = (DateTimeOffset?)null;
            foreach (var entity in range.Inbox)
            {
                var message = await Rows.ReadInboxAsync(_codec, entity, instanceId, cancellationToken);
                if (IsDeliverable(message, status.Status))
                {
                    earliest = Min(earliest, message.VisibleAt);
                }
            }

            if (earliest is { } visibleAt)
            {
                _orchestrationHints.Set(instanceId, visibleAt, keepEarlier: true);
                inboxWaiting = visibleAt <= now;
                next = Min(next, visibleAt);
            }
        }

        if (sentTasks > 0 || inboxWaiting || range.Outbox.Count > 0)
        {
            next = Min(next, now + _options.RecoveryGrace);
        }

        var marked = status.Copy();
        marked.WakeAt = next;
        try
        {
            await _clients.Instances.UpdateEntityAsync(marked.Entity, status.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Someone wrote the row meanwhile and set its wake-up time themselves.
        }

        _statusCache.TryRemove(instanceId, out _);
        _logger.InstanceRecovered(partition, instanceId, range.Outbox.Count, sentTasks, inboxWaiting);
    }

    /// <summary>Delivers outbox rows (messages to other instances, sub-orchestrations to create), then deletes them.</summary>
    private async Task DispatchOutboxAsync(IReadOnlyList<TableEntity> outbox, CancellationToken cancellationToken)
    {
        foreach (var row in outbox.Where(r => r.GetString("Kind") == BundleKind))
        {
            await ExpandBundleAsync(row, cancellationToken); // Deletes the bundle row itself, in its last transaction.
        }

        outbox = [.. outbox.Where(r => r.GetString("Kind") != BundleKind)];
        foreach (var row in outbox)
        {
            switch (await Rows.ReadOutboxAsync(_codec, row, cancellationToken))
            {
                case NewInstance child:
                    try
                    {
                        await WriteNewInstanceAsync(child, new LockRange(), cancellationToken);
                    }
                    catch (TableTransactionFailedException e) when (e.Status == 409)
                    {
                        // It exists already and is left as it is.
                    }

                    await WakeAsync(child.InstanceId, child.StartAt, cancellationToken);
                    break;
                case OrchestrationMessage message:
                    if (await DeliverAsync(message, cancellationToken))
                    {
                        await WakeAsync(message.InstanceId, message.VisibleAt, cancellationToken);
                    }

                    break;
                default:
                    break;
            }
        }

        foreach (var row in outbox)
        {
            try
            {
                await _clients.Instances.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Dispatched by someone else as well; delivery is idempotent.
            }
        }
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
