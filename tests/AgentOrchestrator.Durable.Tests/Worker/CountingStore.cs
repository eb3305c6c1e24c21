using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.Tests.Worker;

/// <summary>
/// The in-memory store with every capability, counting how activity results reach their instance: committed directly
/// with the next episode, or written to the inbox. It can refuse direct completions as if another worker had won the race.
/// </summary>
internal sealed class CountingStore() : DelegatingDurableStore(new InMemoryDurableStore()), IDurableStoreHandoff, IDurableStoreDirectCompletion
{
    private InMemoryDurableStore Store => (InMemoryDurableStore)Inner;
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
        return Store.CompleteActivityAndCommitAsync(activity, instance, checkpoint, activityLock, maxActivities, cancellationToken);
    }

    public Task<OrchestrationWorkItem?> CompleteAndLockInstanceAsync(
        ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter, LockRequest instanceLock, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _inbox);
        return Store.CompleteAndLockInstanceAsync(workItem, result, deadLetter, instanceLock, cancellationToken);
    }

    public override Task CompleteActivityAsync(ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _inbox);
        return Store.CompleteActivityAsync(workItem, result, deadLetter, cancellationToken);
    }

    public Task<HandoffCommit> CommitAndLockActivitiesAsync(
        OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, LockRequest activityLock, int maxActivities, CancellationToken cancellationToken = default)
        => Store.CommitAndLockActivitiesAsync(workItem, checkpoint, activityLock, maxActivities, cancellationToken);
}
