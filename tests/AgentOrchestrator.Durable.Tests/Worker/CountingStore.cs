using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Tests.Worker;

/// <summary>
/// The in-memory store with every capability, counting how activity results reach their instance: committed directly
/// with the next episode, or written to the inbox. It can refuse direct completions as if another worker had won the race.
/// </summary>
internal sealed class CountingStore : IDurableStore, IDurableStoreHandoff, IDurableStoreDirectCompletion
{
    private readonly InMemoryDurableStore _inner = new();
    private int _direct;
    private int _inbox;
    private int _refused;
    private int _toRefuse;

    /// <summary>Results committed with the next episode in one transaction.</summary>
    public int DirectCompletions => Volatile.Read(ref _direct);

    /// <summary>Results written to the inbox.</summary>
    public int InboxCompletions => Volatile.Read(ref _inbox);

    /// <summary>Direct completions refused so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Refuse this many direct completions (with <see cref="OrchestrationConcurrencyException"/>, writing nothing).</summary>
    public int RefuseDirect { init => _toRefuse = value; }

    public Task<HandoffCommit> CompleteActivityAndCommitAsync(
        ActivityWorkItem activity, OrchestrationWorkItem instance, OrchestrationCheckpoint checkpoint, LockRequest activityLock, int maxActivities,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (Interlocked.Decrement(ref _toRefuse) >= 0)
        {
            Interlocked.Increment(ref _refused);
            return Task.FromException<HandoffCommit>(new OrchestrationConcurrencyException(instance.InstanceId, instance.Version));
        }

        Interlocked.Increment(ref _direct);
        return _inner.CompleteActivityAndCommitAsync(activity, instance, checkpoint, activityLock, maxActivities, cancellationToken);
    }

    public Task<OrchestrationWorkItem?> CompleteAndLockInstanceAsync(
        ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter, LockRequest instanceLock, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _inbox);
        return _inner.CompleteAndLockInstanceAsync(workItem, result, deadLetter, instanceLock, cancellationToken);
    }

    public Task CompleteActivityAsync(ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _inbox);
        return _inner.CompleteActivityAsync(workItem, result, deadLetter, cancellationToken);
    }

    public Task<HandoffCommit> CommitAndLockActivitiesAsync(
        OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, LockRequest activityLock, int maxActivities, CancellationToken cancellationToken = default)
        => _inner.CommitAndLockActivitiesAsync(workItem, checkpoint, activityLock, maxActivities, cancellationToken);

    public Task InitializeAsync(CancellationToken cancellationToken = default) => _inner.InitializeAsync(cancellationToken);

    public Task CreateInstanceAsync(NewInstance instance, IReadOnlyCollection<OrchestrationRuntimeStatus> dedupeStatuses, CancellationToken cancellationToken = default)
        => _inner.CreateInstanceAsync(instance, dedupeStatuses, cancellationToken);

    public Task<bool> SendMessageAsync(OrchestrationMessage message, CancellationToken cancellationToken = default) => _inner.SendMessageAsync(message, cancellationToken);

    public Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default) => _inner.GetInstanceAsync(instanceId, cancellationToken);

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default) => _inner.GetHistoryAsync(instanceId, cancellationToken);

    public Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) => _inner.QueryInstancesAsync(query, cancellationToken);

    public Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default) => _inner.PurgeInstancesAsync(filter, cancellationToken);

    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? instanceId = null, int limit = 100, CancellationToken cancellationToken = default)
        => _inner.GetDeadLettersAsync(instanceId, limit, cancellationToken);

    public Task<OrchestrationWorkItem?> TryLockOrchestrationAsync(LockRequest request, CancellationToken cancellationToken = default)
        => _inner.TryLockOrchestrationAsync(request, cancellationToken);

    public Task<long> CommitOrchestrationAsync(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken = default)
        => _inner.CommitOrchestrationAsync(workItem, checkpoint, cancellationToken);

    public Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, CancellationToken cancellationToken = default) => _inner.AbandonOrchestrationAsync(workItem, cancellationToken);

    public Task<ActivityWorkItem?> TryLockActivityAsync(LockRequest request, CancellationToken cancellationToken = default) => _inner.TryLockActivityAsync(request, cancellationToken);

    public Task<bool> RenewActivityLockAsync(ActivityWorkItem workItem, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default)
        => _inner.RenewActivityLockAsync(workItem, lockedUntil, cancellationToken);

    public Task AbandonActivityAsync(ActivityWorkItem workItem, CancellationToken cancellationToken = default) => _inner.AbandonActivityAsync(workItem, cancellationToken);
}
