using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable.Storage;

/// <summary>The worker half of the in-memory store: locks, checkpoints and activity completion.</summary>
public sealed partial class InMemoryDurableStore
{
    /// <inheritdoc />
    public Task<OrchestrationWorkItem?> TryLockOrchestrationAsync(LockRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            return Task.FromResult(LockInstance(request, instanceId: null));
        }
    }

    /// <inheritdoc />
    public Task<OrchestrationWorkItem?> CompleteAndLockInstanceAsync(
        ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter, LockRequest instanceLock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(instanceLock);
        lock (_gate)
        {
            Complete(workItem, result, deadLetter);
            return Task.FromResult(LockInstance(instanceLock, result.InstanceId));
        }
    }

    /// <inheritdoc />
    public Task<HandoffCommit> CommitAndLockActivitiesAsync(
        OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, LockRequest activityLock, int maxActivities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(activityLock);
        lock (_gate)
        {
            return Task.FromResult(CommitAndLock(workItem, checkpoint, activityLock, maxActivities));
        }
    }

    /// <inheritdoc />
    public Task<HandoffCommit> CompleteActivityAndCommitAsync(
        ActivityWorkItem activity,
        OrchestrationWorkItem instance,
        OrchestrationCheckpoint checkpoint,
        LockRequest activityLock,
        int maxActivities,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(activityLock);
        lock (_gate)
        {
            var task = _tasks.Find(t => t.Task.Id == activity.Task.Id && t.LockToken == activity.LockToken)
                ?? throw new ActivityLockLostException(activity.Task.Id);
            if (!_instances.TryGetValue(instance.InstanceId, out var row) || row.Version != instance.Version || row.IsLocked(activityLock.Now)
                || _inbox.Exists(m => m.Message.InstanceId == instance.InstanceId && m.Message.VisibleAt <= activityLock.Now && IsDeliverable(m.Message, row.Status)))
            {
                throw new OrchestrationConcurrencyException(instance.InstanceId, instance.Version);
            }

            _tasks.Remove(task);
            return Task.FromResult(CommitAndLock(instance, checkpoint, activityLock, maxActivities));
        }
    }

    private HandoffCommit CommitAndLock(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, LockRequest activityLock, int maxActivities)
    {
        var version = Commit(workItem, checkpoint);
        var locked = checkpoint.ActivityTasks.Take(maxActivities)
            .Select(task => LockActivity(activityLock, task.Id))
            .OfType<ActivityWorkItem>()
            .ToList();
        return new HandoffCommit(version, locked);
    }

    private OrchestrationWorkItem? LockInstance(LockRequest request, string? instanceId)
    {
        var candidate = _inbox
            .Where(m => m.Message.VisibleAt <= request.Now && (instanceId is null || m.Message.InstanceId == instanceId)
                && _instances.TryGetValue(m.Message.InstanceId, out var row)
                && !row.IsLocked(request.Now) && IsDeliverable(m.Message, row.Status))
            .OrderBy(m => m.Message.VisibleAt).ThenBy(m => m.Sequence)
            .FirstOrDefault();
        if (candidate is null)
        {
            return null;
        }

        var instance = _instances[candidate.Message.InstanceId];
        var messages = _inbox
            .Where(m => m.Message.InstanceId == instance.InstanceId && m.Message.VisibleAt <= request.Now && IsDeliverable(m.Message, instance.Status))
            .OrderBy(m => m.Message.VisibleAt).ThenBy(m => m.Sequence)
            .Take(request.MaxMessages)
            .ToList();
        foreach (var row in messages)
        {
            row.Message = row.Message with { DeliveryCount = row.Message.DeliveryCount + 1 };
        }

        instance.LockToken = Guid.NewGuid().ToString("N");
        instance.LockedUntil = request.Now + request.LockDuration;
        return new OrchestrationWorkItem(
            instance.InstanceId, instance.ExecutionId, instance.Name, instance.Status, instance.Version,
            [.. messages.Select(m => m.Message)], instance.LockToken, instance.LockedUntil.Value);
    }

    /// <inheritdoc />
    public Task<long> CommitOrchestrationAsync(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(checkpoint);
        lock (_gate)
        {
            return Task.FromResult(Commit(workItem, checkpoint));
        }
    }

    private long Commit(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint)
    {
        if (!_instances.TryGetValue(workItem.InstanceId, out var row) || row.Version != workItem.Version)
        {
            throw new OrchestrationConcurrencyException(workItem.InstanceId, workItem.Version);
        }

        var history = _history[workItem.InstanceId];
        if (checkpoint.ReplacesHistory)
        {
            history.Clear();
        }

        history.AddRange(checkpoint.NewEvents);
        var consumed = checkpoint.ConsumedMessageIds.ToHashSet(StringComparer.Ordinal);
        _inbox.RemoveAll(m => m.Message.InstanceId == workItem.InstanceId && consumed.Contains(m.Message.Id));
        row.Apply(checkpoint.Instance);
        row.Version++;
        if (row.LockToken == workItem.LockToken)
        {
            row.LockToken = null;
            row.LockedUntil = null;
        }

        foreach (var task in checkpoint.ActivityTasks.Where(t => !_tasks.Exists(existing => existing.Task.Id == t.Id)))
        {
            _tasks.Add(new TaskRow(task, _sequence++));
        }

        foreach (var child in checkpoint.NewInstances.Where(c => !_instances.ContainsKey(c.InstanceId)))
        {
            Insert(child, 0);
        }

        foreach (var message in checkpoint.Messages)
        {
            Enqueue(message);
        }

        _deadLetters.AddRange(checkpoint.DeadLetters);
        if (checkpoint.LogEntries.Count > 0)
        {
            AppendLog(workItem.InstanceId, checkpoint.LogEntries);
        }

        return row.Version;
    }

    /// <inheritdoc />
    public Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        lock (_gate)
        {
            if (_instances.TryGetValue(workItem.InstanceId, out var row) && row.LockToken == workItem.LockToken)
            {
                row.LockToken = null;
                row.LockedUntil = null;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ActivityWorkItem?> TryLockActivityAsync(LockRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            return Task.FromResult(LockActivity(request, taskId: null));
        }
    }

    private ActivityWorkItem? LockActivity(LockRequest request, string? taskId)
    {
        var row = _tasks
            .Where(t => (t.LockedUntil is null || t.LockedUntil <= request.Now) && (taskId is null || t.Task.Id == taskId))
            .OrderBy(t => t.Sequence)
            .FirstOrDefault();
        if (row is null)
        {
            return null;
        }

        row.DeliveryCount++;
        row.LockToken = Guid.NewGuid().ToString("N");
        row.LockedUntil = request.Now + request.LockDuration;
        return new ActivityWorkItem(row.Task, row.DeliveryCount, row.LockToken, row.LockedUntil.Value);
    }

    /// <inheritdoc />
    public Task<bool> RenewActivityLockAsync(ActivityWorkItem workItem, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        lock (_gate)
        {
            var row = _tasks.Find(t => t.Task.Id == workItem.Task.Id && t.LockToken == workItem.LockToken);
            if (row is not null)
            {
                row.LockedUntil = lockedUntil;
            }

            return Task.FromResult(row is not null);
        }
    }

    /// <inheritdoc />
    public Task CompleteActivityAsync(ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            Complete(workItem, result, deadLetter);
        }

        return Task.CompletedTask;
    }

    private void Complete(ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter)
    {
        Enqueue(result);
        _tasks.RemoveAll(t => t.Task.Id == workItem.Task.Id);
        if (deadLetter is not null)
        {
            _deadLetters.Add(deadLetter);
        }
    }

    /// <inheritdoc />
    public Task AbandonActivityAsync(ActivityWorkItem workItem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        lock (_gate)
        {
            var row = _tasks.Find(t => t.Task.Id == workItem.Task.Id && t.LockToken == workItem.LockToken);
            if (row is not null)
            {
                row.LockToken = null;
                row.LockedUntil = null;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Pending and suspended instances get only control messages (start, resume, terminate).</summary>
    internal static bool IsDeliverable(OrchestrationMessage message, OrchestrationRuntimeStatus status)
        => message.IsControl || status == OrchestrationRuntimeStatus.Running;

    private sealed class MessageRow(OrchestrationMessage message, long sequence)
    {
        public OrchestrationMessage Message { get; set; } = message;

        public long Sequence { get; } = sequence;
    }

    private sealed class TaskRow(ActivityTask task, long sequence)
    {
        public ActivityTask Task { get; } = task;

        public long Sequence { get; } = sequence;

        public int DeliveryCount { get; set; }

        public string? LockToken { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }
    }
}
