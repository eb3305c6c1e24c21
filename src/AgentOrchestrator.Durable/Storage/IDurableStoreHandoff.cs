namespace AgentOrchestrator.Durable.Storage;

/// <summary>
/// An optional store capability: hand the next piece of work to the worker that produced it in the
/// same transaction, so one activity step costs two store transactions instead of four.
/// Stores that cannot do this implement only <see cref="IDurableStore"/>; the worker then polls as usual.
/// </summary>
public interface IDurableStoreHandoff
{
    /// <summary>
    /// Commits exactly as <see cref="IDurableStore.CommitOrchestrationAsync"/> does and, in the same transaction,
    /// locks up to <paramref name="maxActivities"/> of the activity tasks the checkpoint enqueues, for the caller.
    /// </summary>
    /// <exception cref="OrchestrationConcurrencyException">The version moved on; nothing was written or locked.</exception>
    Task<HandoffCommit> CommitAndLockActivitiesAsync(
        OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, LockRequest activityLock, int maxActivities, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes exactly as <see cref="IDurableStore.CompleteActivityAsync"/> does and, in the same transaction, locks
    /// the result's instance for the caller when it is unlocked and has deliverable messages.
    /// </summary>
    /// <returns>The locked instance, or null when it was locked elsewhere or has nothing to deliver.</returns>
    Task<OrchestrationWorkItem?> CompleteAndLockInstanceAsync(
        ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter, LockRequest instanceLock, CancellationToken cancellationToken = default);
}
