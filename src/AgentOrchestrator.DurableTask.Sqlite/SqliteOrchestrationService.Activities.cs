using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.History;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>Activity work items: claiming tasks (or taking those a checkpoint handed over), renewing, completing, abandoning.</summary>
public sealed partial class SqliteOrchestrationService
{
    private readonly ConcurrentQueue<SqliteActivityWorkItem> _handoff = new();

    /// <summary>Activity work items out (handed over or claimed, not yet completed or abandoned); bounds the handoff.</summary>
    private int _activitiesOut;

    /// <summary>Activity work items out (tests wait for a late completion with it).</summary>
    internal int ActivitiesInFlight => Volatile.Read(ref _activitiesOut);

    /// <summary>
    /// Takes a task a checkpoint of this process handed over already claimed, or claims the free task that waited longest
    /// (counting the delivery; one delivered more than <see cref="SqliteOrchestrationServiceSettings.MaxDeliveryCount"/>
    /// times is set aside and its orchestration told it failed). Waits up to <paramref name="receiveTimeout"/>; null when none came.
    /// </summary>
    public async Task<TaskActivityWorkItem?> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync().ConfigureAwait(false);
        EnsureWatcher();
        var started = _time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = _activityWork.Next;
            if (_handoff.TryDequeue(out var handed))
            {
                return handed;
            }

            var now = Now();
            var due = _readers.Read(c => c.Command(SqliteStatements.NextFreeTask).ExecuteScalar() as long?);
            if (due <= now)
            {
                var token = NewToken();
                var until = Ticks.Add(now, _settings.LockTimeout);
                var claim = await _writer.WriteAsync(scope => LockNextTask(scope, token, now, until)).ConfigureAwait(false);
                claim.Poisoned.ForEach(p => Log.TaskPoisoned(_logger, p.TaskId, p.Name, p.InstanceId, p.DeliveryCount));
                claim.Poisoned.ForEach(p => NotifyInstance(p.InstanceId));
                if (claim.Item is { } item)
                {
                    Interlocked.Increment(ref _activitiesOut);
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
                return null;
            }
        }

        return null;
    }

    /// <summary>Extends the task's lock by <see cref="SqliteOrchestrationServiceSettings.LockTimeout"/>.</summary>
    /// <exception cref="InvalidOperationException">The lock was lost (DurableTask.Core then stops renewing).</exception>
    public async Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem)
    {
        var item = Activity(workItem);
        var until = Ticks.Add(Now(), _settings.LockTimeout);
        var renewed = await _writer.WriteAsync(scope => scope.Command(SqliteStatements.RenewTask)
            .With("$seq", item.Seq).With("$token", item.LockToken).With("$until", until).ExecuteNonQuery() == 1).ConfigureAwait(false);
        if (!renewed)
        {
            throw new InvalidOperationException($"The lock on task {item.TaskId} of orchestration instance '{item.InstanceId}' was lost.");
        }

        item.LockedUntilUtc = Ticks.ToDateTime(until);
        return item;
    }

    /// <summary>
    /// Deletes the task and delivers its result in one transaction, only while the work item still holds the task: a
    /// worker whose lock was lost (another worker ran the task again) has its result dropped, so a result enters the
    /// orchestration once. When this process holds the instance in an extended session, the result goes to the session
    /// directly and the task is deleted by the session's checkpoint (one transaction for the step).
    /// </summary>
    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        var item = Activity(workItem);
        ArgumentNullException.ThrowIfNull(responseMessage);
        try
        {
            if (await TryApplyDirectlyAsync(item, responseMessage).ConfigureAwait(false))
            {
                return;
            }

            var result = new OutgoingMessage(responseMessage, Now());
            var outcome = await _writer.WriteAsync(scope =>
            {
                if (scope.Command(SqliteStatements.CompleteTask).With("$seq", item.Seq).With("$token", item.LockToken).ExecuteNonQuery() != 1)
                {
                    return TaskOutcome.LockLost;
                }

                return result.Insert(scope) ? TaskOutcome.Delivered : TaskOutcome.Dropped;
            }).ConfigureAwait(false);
            switch (outcome)
            {
                case TaskOutcome.LockLost:
                    Log.TaskLockLost(_logger, item.TaskId, item.Name, item.InstanceId);
                    break;
                case TaskOutcome.Dropped:
                    Log.MessageDropped(_logger, result.EventType.ToString(), result.InstanceId, "the instance does not exist or has finished");
                    break;
                default:
                    NotifyInstance(result.InstanceId);
                    break;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _activitiesOut);
        }
    }

    /// <summary>
    /// Gives the task up after a failure: it is delivered again after a delay that doubles with each delivery
    /// (<see cref="SqliteOrchestrationServiceSettings.AbandonBaseDelay"/>), until it is set aside as poison.
    /// </summary>
    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        var item = Activity(workItem);
        try
        {
            var delay = Backoff(item.DeliveryCount);
            var retryAt = Ticks.Add(Now(), delay);
            await _writer.WriteAsync(scope => scope.Command(SqliteStatements.AbandonTask)
                .With("$seq", item.Seq).With("$token", item.LockToken).With("$retryAt", retryAt).ExecuteNonQuery()).ConfigureAwait(false);
            Log.TaskAbandoned(_logger, item.TaskId, item.Name, item.InstanceId, delay);
        }
        finally
        {
            Interlocked.Decrement(ref _activitiesOut);
        }
    }

    /// <summary>
    /// Hands the result to the extended session that holds its instance in this process, if any, and waits for the checkpoint
    /// that applies it; false when there is none or it did not use the result (then it is written the ordinary way).
    /// </summary>
    private async Task<bool> TryApplyDirectlyAsync(SqliteActivityWorkItem task, TaskMessage response)
    {
        var target = response.OrchestrationInstance;
        if (target?.InstanceId is null || !_held.TryGetValue(target.InstanceId, out var holder) || holder.ExecutionId != target.ExecutionId)
        {
            return false;
        }

        var direct = new DirectResult(task, response);
        if (!holder.TryOffer(direct))
        {
            return false;
        }

        _sessions.Set(target.InstanceId);
        return await direct.Applied.Task.ConfigureAwait(false);
    }

    /// <summary>The claim, in the writer: the next free task, after setting aside any delivered too often.</summary>
    private TaskClaim LockNextTask(WriteScope scope, long token, long now, long until)
    {
        var poisoned = new List<PoisonedTask>();
        while (true)
        {
            long seq;
            string instanceId, name, json;
            string? executionId;
            int taskId, count;
            using (var reader = scope.Command(SqliteStatements.LockNextTask)
                .With("$owner", _owner).With("$token", token).With("$until", until).With("$now", now).ExecuteReader())
            {
                if (!reader.Read())
                {
                    return new TaskClaim(null, poisoned);
                }

                (seq, instanceId, executionId, taskId, name, count, json) = (reader.GetInt64(0), reader.GetString(1), reader.NullableString(2),
                    reader.GetInt32(3), reader.GetString(4), reader.GetInt32(5), reader.GetString(6));
            }

            if (count <= _settings.MaxDeliveryCount && TryReadMessage(json) is { } message)
            {
                var item = new SqliteActivityWorkItem
                {
                    Id = $"{instanceId}:{taskId}:{seq}",
                    Seq = seq,
                    LockToken = token,
                    InstanceId = instanceId,
                    TaskId = taskId,
                    Name = name,
                    DeliveryCount = count,
                    TaskMessage = message,
                    LockedUntilUtc = Ticks.ToDateTime(until),
                    DeliveryAttempt = count,
                };
                return new TaskClaim(item, poisoned);
            }

            var reason = count > _settings.MaxDeliveryCount
                ? $"Delivered {count - 1} times without completing (MaxDeliveryCount {_settings.MaxDeliveryCount})."
                : "The task could not be read.";
            SetAsideTask(scope, new PoisonedTask(seq, instanceId, executionId, taskId, name, count - 1, json), reason, now);
            poisoned.Add(new PoisonedTask(seq, instanceId, executionId, taskId, name, count - 1, json));
        }
    }

    /// <summary>Puts tasks a checkpoint inserted claimed into the handoff queue and wakes the activity dispatcher.</summary>
    private void HandOff(List<(long Seq, PlannedTask Task)> tasks, long token, long until)
    {
        foreach (var (seq, task) in tasks)
        {
            _handoff.Enqueue(new SqliteActivityWorkItem
            {
                Id = $"{task.InstanceId}:{task.Scheduled.EventId}:{seq}",
                Seq = seq,
                LockToken = token,
                InstanceId = task.InstanceId,
                TaskId = task.Scheduled.EventId,
                Name = task.Scheduled.Name ?? string.Empty,
                DeliveryCount = 1,
                TaskMessage = task.Message,
                LockedUntilUtc = Ticks.ToDateTime(until),
                DeliveryAttempt = 1,
            });
        }

        if (tasks.Count > 0)
        {
            _activityWork.Set();
        }
    }

    /// <summary>
    /// How many of a checkpoint's tasks to hand over: only while this process's worker runs, and only as many as its activity
    /// dispatcher has room for, so a handed-over task never waits for a slot while its lock runs.
    /// </summary>
    private int ReserveHandoff(int wanted)
    {
        while (wanted > 0 && _workerRunning)
        {
            var current = Volatile.Read(ref _activitiesOut);
            var take = Math.Min(wanted, _settings.MaxConcurrentActivities - current);
            if (take <= 0)
            {
                return 0;
            }

            if (Interlocked.CompareExchange(ref _activitiesOut, current + take, current) == current)
            {
                return take;
            }
        }

        return 0;
    }

    private void CancelHandoff(int reserved) => Interlocked.Add(ref _activitiesOut, -reserved);

    /// <summary>Releases tasks handed over but never taken (the worker stopped), giving their delivery back.</summary>
    private async Task ReleaseHandoffsAsync()
    {
        var items = new List<SqliteActivityWorkItem>();
        while (_handoff.TryDequeue(out var item))
        {
            items.Add(item);
        }

        if (items.Count == 0 || Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        var now = Now();
        try
        {
            await _writer.WriteAsync(scope =>
            {
                items.ForEach(i => scope.Command(SqliteStatements.ReleaseHandoff).With("$seq", i.Seq).With("$token", i.LockToken).With("$now", now).ExecuteNonQuery());
                return true;
            }).ConfigureAwait(false);
        }
        finally
        {
            CancelHandoff(items.Count);
        }
    }

    private TaskMessage? TryReadMessage(string json)
    {
        try
        {
            return DtfxJson.DeserializeMessage(json);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            Log.UnreadableMessage(_logger, e, "(activity task)");
            return null;
        }
    }

    private static SqliteActivityWorkItem Activity(TaskActivityWorkItem workItem) => workItem as SqliteActivityWorkItem
        ?? throw new ArgumentException("The work item was not made by this SqliteOrchestrationService.", nameof(workItem));

    private enum TaskOutcome
    {
        Delivered,
        Dropped,
        LockLost,
    }
}
