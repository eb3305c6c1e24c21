using AgentOrchestrator.Durable;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Benchmarks;

/// <summary>
/// One store as the benchmark sees it, two store instances underneath: the worker's calls go to one, the client's
/// (start, read, wait) to the other, so their storage operations are counted apart.
/// </summary>
public sealed class SplitStore(IDurableStore worker, IDurableStore client) : IDurableStore, IDurableStoreHandoff
{
    private readonly IDurableStoreHandoff _handoff = (IDurableStoreHandoff)worker;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => worker.InitializeAsync(cancellationToken);

    public Task CreateInstanceAsync(NewInstance instance, IReadOnlyCollection<OrchestrationRuntimeStatus> dedupeStatuses, CancellationToken cancellationToken = default)
        => client.CreateInstanceAsync(instance, dedupeStatuses, cancellationToken);

    public Task<bool> SendMessageAsync(OrchestrationMessage message, CancellationToken cancellationToken = default) => client.SendMessageAsync(message, cancellationToken);

    public Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default) => client.GetInstanceAsync(instanceId, cancellationToken);

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
        => worker.GetHistoryAsync(instanceId, cancellationToken); // The worker replays from it.

    public Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) => client.QueryInstancesAsync(query, cancellationToken);

    public Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default) => client.PurgeInstancesAsync(filter, cancellationToken);

    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? instanceId = null, int limit = 100, CancellationToken cancellationToken = default)
        => client.GetDeadLettersAsync(instanceId, limit, cancellationToken);

    public Task<OrchestrationWorkItem?> TryLockOrchestrationAsync(LockRequest request, CancellationToken cancellationToken = default)
        => worker.TryLockOrchestrationAsync(request, cancellationToken);

    public Task<long> CommitOrchestrationAsync(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken = default)
        => worker.CommitOrchestrationAsync(workItem, checkpoint, cancellationToken);

    public Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, CancellationToken cancellationToken = default) => worker.AbandonOrchestrationAsync(workItem, cancellationToken);

    public Task<ActivityWorkItem?> TryLockActivityAsync(LockRequest request, CancellationToken cancellationToken = default) => worker.TryLockActivityAsync(request, cancellationToken);

    public Task<bool> RenewActivityLockAsync(ActivityWorkItem workItem, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default)
        => worker.RenewActivityLockAsync(workItem, lockedUntil, cancellationToken);

    public Task CompleteActivityAsync(ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter = null, CancellationToken cancellationToken = default)
        => worker.CompleteActivityAsync(workItem, result, deadLetter, cancellationToken);

    public Task AbandonActivityAsync(ActivityWorkItem workItem, CancellationToken cancellationToken = default) => worker.AbandonActivityAsync(workItem, cancellationToken);

    public Task<IReadOnlyList<InstanceLogRecord>> AppendLogAsync(string instanceId, IReadOnlyList<InstanceLogEntry> entries, CancellationToken cancellationToken = default)
        => worker.AppendLogAsync(instanceId, entries, cancellationToken); // Checkpoints write there too.

    public Task<IReadOnlyList<InstanceLogRecord>> ReadLogAsync(string instanceId, long afterSequence, int maxCount, string? kind = null, CancellationToken cancellationToken = default)
        => worker.ReadLogAsync(instanceId, afterSequence, maxCount, kind, cancellationToken);

    public Task<HandoffCommit> CommitAndLockActivitiesAsync(
        OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, LockRequest activityLock, int maxActivities, CancellationToken cancellationToken = default)
        => _handoff.CommitAndLockActivitiesAsync(workItem, checkpoint, activityLock, maxActivities, cancellationToken);

    public Task<OrchestrationWorkItem?> CompleteAndLockInstanceAsync(
        ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter, LockRequest instanceLock, CancellationToken cancellationToken = default)
        => _handoff.CompleteAndLockInstanceAsync(workItem, result, deadLetter, instanceLock, cancellationToken);
}
