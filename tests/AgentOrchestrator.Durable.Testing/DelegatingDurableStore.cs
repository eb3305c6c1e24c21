using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Testing;

/// <summary>
/// A store that passes every call to <paramref name="inner"/>: the base of test stores that count, refuse or
/// delay some calls and leave the rest alone. Override what the test changes.
/// </summary>
/// <param name="inner">The store that does the work.</param>
public abstract class DelegatingDurableStore(IDurableStore inner) : IDurableStore
{
    /// <summary>The store that does the work.</summary>
    protected IDurableStore Inner { get; } = inner;

    /// <inheritdoc />
    public virtual Task InitializeAsync(CancellationToken cancellationToken = default) => Inner.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    public virtual Task CreateInstanceAsync(NewInstance instance, IReadOnlyCollection<OrchestrationRuntimeStatus> dedupeStatuses, CancellationToken cancellationToken = default)
        => Inner.CreateInstanceAsync(instance, dedupeStatuses, cancellationToken);

    /// <inheritdoc />
    public virtual Task<bool> SendMessageAsync(OrchestrationMessage message, CancellationToken cancellationToken = default) => Inner.SendMessageAsync(message, cancellationToken);

    /// <inheritdoc />
    public virtual Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default) => Inner.GetInstanceAsync(instanceId, cancellationToken);

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default) => Inner.GetHistoryAsync(instanceId, cancellationToken);

    /// <inheritdoc />
    public virtual Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) => Inner.QueryInstancesAsync(query, cancellationToken);

    /// <inheritdoc />
    public virtual Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default) => Inner.PurgeInstancesAsync(filter, cancellationToken);

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? instanceId = null, int limit = 100, CancellationToken cancellationToken = default)
        => Inner.GetDeadLettersAsync(instanceId, limit, cancellationToken);

    /// <inheritdoc />
    public virtual Task<OrchestrationWorkItem?> TryLockOrchestrationAsync(LockRequest request, CancellationToken cancellationToken = default)
        => Inner.TryLockOrchestrationAsync(request, cancellationToken);

    /// <inheritdoc />
    public virtual Task<long> CommitOrchestrationAsync(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken = default)
        => Inner.CommitOrchestrationAsync(workItem, checkpoint, cancellationToken);

    /// <inheritdoc />
    public virtual Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, CancellationToken cancellationToken = default) => Inner.AbandonOrchestrationAsync(workItem, cancellationToken);

    /// <inheritdoc />
    public virtual Task<ActivityWorkItem?> TryLockActivityAsync(LockRequest request, CancellationToken cancellationToken = default) => Inner.TryLockActivityAsync(request, cancellationToken);

    /// <inheritdoc />
    public virtual Task<bool> RenewActivityLockAsync(ActivityWorkItem workItem, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default)
        => Inner.RenewActivityLockAsync(workItem, lockedUntil, cancellationToken);

    /// <inheritdoc />
    public virtual Task CompleteActivityAsync(ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter = null, CancellationToken cancellationToken = default)
        => Inner.CompleteActivityAsync(workItem, result, deadLetter, cancellationToken);

    /// <inheritdoc />
    public virtual Task AbandonActivityAsync(ActivityWorkItem workItem, CancellationToken cancellationToken = default) => Inner.AbandonActivityAsync(workItem, cancellationToken);

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<InstanceLogRecord>> AppendLogAsync(string instanceId, IReadOnlyList<InstanceLogEntry> entries, CancellationToken cancellationToken = default)
        => Inner.AppendLogAsync(instanceId, entries, cancellationToken);

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<InstanceLogRecord>> ReadLogAsync(string instanceId, long afterSequence, int maxCount, string? kind = null, CancellationToken cancellationToken = default)
        => Inner.ReadLogAsync(instanceId, afterSequence, maxCount, kind, cancellationToken);
}
