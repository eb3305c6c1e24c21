using DurableTask.Core;
using DurableTask.Core.History;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>Orchestration work items: claiming an instance with its messages and history, renewing, abandoning, releasing.</summary>
public sealed partial class SqliteOrchestrationService
{
    /// <summary>Instances this process holds in extended sessions, for results handed over directly (<see cref="DirectResult"/>).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SqliteOrchestrationWorkItem> _held = new(StringComparer.Ordinal);

    /// <summary>The most instances one claim takes.</summary>
    private const int MaxInstancesPerClaim = 16;

    /// <summary>Work items a claim took beyond the one it returned, for the next fetches (see <see cref="TryLockNextInstancesAsync"/>).</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<SqliteOrchestrationWorkItem> _claimed = new();

    /// <summary>Orchestration work items out: built and not yet released (held by DurableTask.Core or waiting in <see cref="_claimed"/>).</summary>
    private int _orchestrationsOut;

    /// <summary>
    /// Claims the instance whose oldest deliverable message waited longest, with its visible messages (each delivery
    /// counted; one delivered more than <see cref="SqliteOrchestrationServiceSettings.MaxDeliveryCount"/> times is set aside)
    /// and its history. While the worker runs, one claim takes up to <see cref="MaxInstancesPerClaim"/> instances in oldest
    /// order (as many as the dispatcher has room for) and the next fetches hand out the rest without a write. Waits up to
    /// <paramref name="receiveTimeout"/>: woken at once by work this process writes, within
    /// <see cref="SqliteOrchestrationServiceSettings.ChangePollingInterval"/> by work other processes write; null when none came.
    /// </summary>
    public async Task<TaskOrchestrationWorkItem?> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync().ConfigureAwait(false);
        EnsureWatcher();
        var started = _time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = _orchestrationWork.Next;
            if (await TakeClaimedAsync().ConfigureAwait(false) is { } claimed)
            {
                return claimed;
            }

            var now = Now();
            var due = _readers.Read(c => c.Command(SqliteStatements.NextDeliverable).With("$now", now).ExecuteScalar() as long?);
            if (due <= now)
            {
                if (await TryLockNextInstancesAsync().ConfigureAwait(false) is { } item)
                {
                    return item;
                }

                continue;
            }

            var left = receiveTimeout - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            try
            {
                await AsyncSignal.WaitAsync(wake, WaitTime(left, due, now), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // DurableTask.Core cancels the fetch only when its dispatcher stops: end the idle sessions too, so that the stop
        // does not wait for their idle timeout.
        EndSessionsIfStopping(cancellationToken);
        return null;
    }

    /// <summary>Extends the work item's lock by <see cref="SqliteOrchestrationServiceSettings.LockTimeout"/>.</summary>
    /// <exception cref="InvalidOperationException">The lock was lost.</exception>
    public async Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem)
    {
        var item = Item(workItem);
        if (!await RenewAsync(item).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"The lock on orchestration instance '{item.InstanceId}' was lost.");
        }
    }

    /// <summary>
    /// Gives the work item up after a failure: the lock is released, but the instance is not delivered again before a
    /// delay that doubles with each delivery of its messages (<see cref="SqliteOrchestrationServiceSettings.AbandonBaseDelay"/>).
    /// </summary>
    public async Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        var item = Item(workItem);
        if (item.Released)
        {
            return;
        }

        var delay = Backoff(item.DeliveryCount);
        var retryAt = Ticks.Add(Now(), delay);
        var uncounted = item.Uncounted.ToList();
        item.Close();
        await _writer.WriteAsync(scope =>
        {
            uncounted.ForEach(seq => scope.Command(SqliteStatements.CountDelivery).With("$seq", seq).ExecuteNonQuery());
            return scope.Command(SqliteStatements.AbandonInstance).With("$id", item.InstanceId).With("$token", item.LockToken).With("$retryAt", retryAt)
                .ExecuteNonQuery();
        }).ConfigureAwait(false);
        item.Released = true;
        item.Processed = true;
        Log.InstanceAbandoned(_logger, item.InstanceId, delay);
    }

    /// <summary>
    /// Releases the work item's lock (unless a checkpoint already did) and stops its session's wake-ups. Messages of a
    /// work item released without being processed (the worker stopped) get their delivery back.
    /// </summary>
    public async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        var item = Item(workItem);
        item.Close();
        _held.TryRemove(KeyValuePair.Create(item.InstanceId, item));
        Interlocked.Decrement(ref _orchestrationsOut);
        try
        {
            if (!item.Released)
            {
                var unprocessed = item.Processed ? [] : item.Consumed.Except(item.Uncounted).ToList();
                await _writer.WriteAsync(scope => ReleaseLock(scope, item.InstanceId, item.LockToken, unprocessed)).ConfigureAwait(false);
                item.Released = true;
            }
        }
        finally
        {
            item.Signal?.Dispose();
            item.Signal = null;

            // Messages that came while the item was held woke nobody: the fetch loop looks again.
            _orchestrationWork.Set();
        }
    }

    /// <summary>
    /// Claims the instances whose deliverable messages waited longest in one write, builds their work items, returns the
    /// first and queues the rest in <see cref="_claimed"/>. One claim per new instance cost a group commit each, one after
    /// another (DurableTask.Core fetches one work item at a time), so a burst of new instances started a few milliseconds
    /// apart. Claims beyond one are made only while this process's worker runs and up to the dispatcher's free slots, so a
    /// claimed item is fetched soon, long before its lock runs out.
    /// </summary>
    private async Task<SqliteOrchestrationWorkItem?> TryLockNextInstancesAsync()
    {
        var room = _workerRunning ? Math.Clamp(_settings.MaxConcurrentOrchestrations - Volatile.Read(ref _orchestrationsOut), 1, MaxInstancesPerClaim) : 1;
        var tokens = Enumerable.Range(0, room).Select(_ => NewToken()).ToArray();
        var now = Now();
        var until = Ticks.Add(now, _settings.LockTimeout);
        var claim = await _writer.WriteAsync(scope => LockNextInstances(scope, tokens, now, until)).ConfigureAwait(false);
        SqliteOrchestrationWorkItem? first = null;
        for (var i = 0; i < claim.Count; i++)
        {
            var (locked, token) = claim[i];
            foreach (var poisoned in locked.Poisoned)
            {
                Log.MessagePoisoned(_logger, poisoned.EventType.ToString(), locked.InstanceId, poisoned.DeliveryCount);
            }

            if (locked.Messages.Count == 0)
            {
                continue;
            }

            SqliteOrchestrationWorkItem? item;
            try
            {
                item = await BuildWorkItemAsync(locked, token, until).ConfigureAwait(false);
            }
            catch
            {
                // The rest of the claim would stay locked until its locks ran out: give it back first.
                await ReleaseUnbuiltAsync(claim.Skip(i + 1)).ConfigureAwait(false);
                throw;
            }

            if (item is null)
            {
                continue;
            }

            if (first is null)
            {
                first = item;
            }
            else
            {
                _claimed.Enqueue(item);
            }
        }

        return first;
    }

    /// <summary>A work item an earlier claim took; one whose lock has run half out is renewed first, one whose lock was lost is dropped.</summary>
    private async Task<SqliteOrchestrationWorkItem?> TakeClaimedAsync()
    {
        while (_claimed.TryDequeue(out var item))
        {
            if (item.LockedUntilUtc - Ticks.ToDateTime(Now()) > _settings.LockTimeout / 2 || await RenewAsync(item).ConfigureAwait(false))
            {
                return item;
            }

            // Another worker holds the instance now: nothing of this claim is left to give back.
            item.Processed = true;
            item.Released = true;
            await ReleaseTaskOrchestrationWorkItemAsync(item).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>Releases the work items claimed but not fetched (the worker stopped), giving their deliveries back.</summary>
    private async Task ReleaseClaimedAsync()
    {
        while (_claimed.TryDequeue(out var item))
        {
            await ReleaseTaskOrchestrationWorkItemAsync(item).ConfigureAwait(false);
        }
    }

    /// <summary>Releases instances a claim locked whose work items were never built, giving their deliveries back.</summary>
    private async Task ReleaseUnbuiltAsync(IEnumerable<(LockedInstance Locked, long Token)> unbuilt)
    {
        var rest = unbuilt.Where(c => c.Locked.Messages.Count > 0).ToList();
        if (rest.Count == 0)
        {
            return;
        }

        await _writer.WriteAsync(scope =>
        {
            rest.ForEach(c => ReleaseLock(scope, c.Locked.InstanceId, c.Token, c.Locked.Messages.Select(m => m.Seq)));
            return true;
        }).ConfigureAwait(false);
    }

    /// <summary>In the writer: gives up a lock on an instance, taking back the deliveries of the messages it did not process.</summary>
    private static int ReleaseLock(WriteScope scope, string instanceId, long token, IEnumerable<long> unprocessed)
    {
        foreach (var seq in unprocessed)
        {
            scope.Command(SqliteStatements.UncountDelivery).With("$seq", seq).ExecuteNonQuery();
        }

        return scope.Command(SqliteStatements.ReleaseInstance).With("$id", instanceId).With("$token", token).ExecuteNonQuery();
    }

    /// <summary>The claim of up to one instance per token, in the writer, oldest deliverable message first.</summary>
    private List<(LockedInstance Locked, long Token)> LockNextInstances(WriteScope scope, long[] tokens, long now, long until)
    {
        var claimed = new List<(LockedInstance, long)>(tokens.Length);
        foreach (var token in tokens)
        {
            if (LockNextInstance(scope, token, now, until) is not { } locked)
            {
                break;
            }

            claimed.Add((locked, token));
        }

        return claimed;
    }

    /// <summary>The claim, in the writer: locks the instance, counts the deliveries, sets aside poison.</summary>
    private LockedInstance? LockNextInstance(WriteScope scope, long token, long now, long until)
    {
        string id, executionId;
        OrchestrationStatus status;
        int length;
        using (var reader = scope.Command(SqliteStatements.LockNextInstance)
            .With("$owner", _owner).With("$token", token).With("$until", until).With("$now", now).ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            (id, executionId, status, length) = (reader.GetString(0), reader.GetString(1), (OrchestrationStatus)reader.GetInt32(2), reader.GetInt32(3));
        }

        var rows = ReadVisibleMessages(scope.Command(SqliteStatements.VisibleMessages), id, now);
        var delivered = new List<InboxRow>(rows.Count);
        var poisoned = new List<InboxRow>();
        foreach (var row in rows)
        {
            if (row.DeliveryCount > _settings.MaxDeliveryCount)
            {
                SetAsideMessage(scope, id, row, $"Delivered {row.DeliveryCount - 1} times without being processed (MaxDeliveryCount {_settings.MaxDeliveryCount}).", now);
                poisoned.Add(row);
            }
            else
            {
                scope.Command(SqliteStatements.CountDelivery).With("$seq", row.Seq).ExecuteNonQuery();
                delivered.Add(row);
            }
        }

        if (delivered.Count == 0)
        {
            scope.Command(SqliteStatements.ReleaseInstance).With("$id", id).With("$token", token).ExecuteNonQuery();
        }

        return new LockedInstance(id, executionId, status, length, delivered, poisoned);
    }

    /// <summary>Reads the visible messages of an instance with <paramref name="command"/> (<see cref="SqliteStatements.VisibleMessages"/>).</summary>
    private List<InboxRow> ReadVisibleMessages(Microsoft.Data.Sqlite.SqliteCommand command, string instanceId, long now)
    {
        var rows = new List<InboxRow>();
        using var reader = command.With("$id", instanceId).With("$now", now).With("$max", _settings.MaxMessagesPerWorkItem).ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new InboxRow(reader.GetInt64(0), reader.GetInt32(1) + 1, (EventType)reader.GetInt32(2), reader.GetString(3)));
        }

        return rows;
    }

    private async Task<SqliteOrchestrationWorkItem?> BuildWorkItemAsync(LockedInstance locked, long token, long until)
    {
        var (messages, consumed) = await ReadMessagesAsync(locked.InstanceId, locked.Messages).ConfigureAwait(false);
        var item = new SqliteOrchestrationWorkItem
        {
            InstanceId = locked.InstanceId,
            LockToken = token,
            ExecutionId = locked.ExecutionId,
            Status = locked.Status,
            HistoryLength = locked.HistoryLength,
            LockedUntilUtc = Ticks.ToDateTime(until),
            NewMessages = messages,
            Consumed = consumed,
            DeliveryCount = locked.Messages.Max(m => m.DeliveryCount),
        };
        Interlocked.Increment(ref _orchestrationsOut);
        if (messages.Count == 0)
        {
            await ReleaseTaskOrchestrationWorkItemAsync(item).ConfigureAwait(false);
            return null;
        }

        try
        {
            var (history, customStatus) = _readers.Read(c => LoadHistory(c, locked.InstanceId));
            item.OrchestrationRuntimeState = new OrchestrationRuntimeState(history);
            item.CustomStatus = customStatus;
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            Log.UnreadableHistory(_logger, e, locked.InstanceId);
            await AbandonTaskOrchestrationWorkItemAsync(item).ConfigureAwait(false);
            await ReleaseTaskOrchestrationWorkItemAsync(item).ConfigureAwait(false);
            return null;
        }

        item.Signal = _sessions.Register(item.InstanceId);
        if (_settings.ExtendedSessionsEnabled)
        {
            item.Session = new SqliteOrchestrationSession(this, item);
            _held[item.InstanceId] = item;
        }

        Log.InstanceLocked(_logger, item.InstanceId, messages.Count);
        return item;
    }

    /// <summary>Reads message rows; an unreadable one is set aside at once (it could never be delivered).</summary>
    private async Task<(List<TaskMessage> Messages, List<long> Seqs)> ReadMessagesAsync(string instanceId, IEnumerable<InboxRow> rows)
    {
        var messages = new List<TaskMessage>();
        var seqs = new List<long>();
        var unreadable = new List<InboxRow>();
        foreach (var row in rows)
        {
            try
            {
                messages.Add(DtfxJson.DeserializeMessage(row.Json));
                seqs.Add(row.Seq);
            }
            catch (Exception e) when (IsUnreadable(e))
            {
                Log.UnreadableMessage(_logger, e, instanceId);
                unreadable.Add(row);
            }
        }

        if (unreadable.Count > 0)
        {
            var now = Now();
            await _writer.WriteAsync(scope =>
            {
                unreadable.ForEach(row => SetAsideMessage(scope, instanceId, row, "The message could not be read.", now));
                return true;
            }).ConfigureAwait(false);
        }

        return (messages, seqs);
    }

    private static (List<HistoryEvent> History, string? CustomStatus) LoadHistory(PreparedConnection connection, string instanceId)
    {
        var history = new List<HistoryEvent>();
        using (var reader = connection.Command(SqliteStatements.History).With("$id", instanceId).ExecuteReader())
        {
            while (reader.Read())
            {
                history.Add(DtfxJson.DeserializeEvent(reader.GetString(0)));
            }
        }

        var customStatus = connection.Command(SqliteStatements.CustomStatus).With("$id", instanceId).ExecuteScalar() as string;
        return (history, customStatus);
    }

    private async Task<bool> RenewAsync(SqliteOrchestrationWorkItem item)
    {
        var until = Ticks.Add(Now(), _settings.LockTimeout);
        var renewed = await _writer.WriteAsync(scope => scope.Command(SqliteStatements.RenewInstance)
            .With("$id", item.InstanceId).With("$token", item.LockToken).With("$until", until).ExecuteNonQuery() == 1).ConfigureAwait(false);
        if (renewed)
        {
            item.LockedUntilUtc = Ticks.ToDateTime(until);
        }
        else
        {
            Log.InstanceLockLost(_logger, item.InstanceId);
        }

        return renewed;
    }

    /// <summary>The delay before a work item delivered <paramref name="deliveryCount"/> times is delivered again.</summary>
    private TimeSpan Backoff(int deliveryCount)
    {
        var doublings = Math.Clamp(deliveryCount - 1, 0, 40);
        var delay = _settings.AbandonBaseDelay.Ticks * Math.Pow(2, doublings);
        return delay >= _settings.AbandonMaxDelay.Ticks ? _settings.AbandonMaxDelay : TimeSpan.FromTicks((long)delay);
    }

    /// <summary>How long an idle fetch sleeps: until the next known due time, at most the time left and the polling cap.</summary>
    private TimeSpan WaitTime(TimeSpan left, long? due, long now)
    {
        var wait = left < _settings.MaxPollingInterval ? left : _settings.MaxPollingInterval;
        return due is { } at && TimeSpan.FromTicks(at - now) < wait ? TimeSpan.FromTicks(at - now) : wait;
    }

    private static SqliteOrchestrationWorkItem Item(TaskOrchestrationWorkItem workItem) => workItem as SqliteOrchestrationWorkItem
        ?? throw new ArgumentException("The work item was not made by this SqliteOrchestrationService.", nameof(workItem));

    private static bool IsUnreadable(Exception error)
        => error is Newtonsoft.Json.JsonException or FormatException or InvalidCastException or NotSupportedException;
}
