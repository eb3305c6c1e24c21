namespace AgentOrchestrator.Durable.Storage;

/// <summary>
/// An optional store capability: complete an activity and commit the episode that applies its result in one
/// transaction, so one activity step costs one store transaction instead of two. The worker uses it when it
/// still holds the instance's executor in memory; otherwise, and after any refusal, it delivers the result to the
/// inbox as usual (<see cref="IDurableStore.CompleteActivityAsync"/>). Stores that cannot do this simply do not implement it.
/// </summary>
public interface IDurableStoreDirectCompletion
{
    /// <summary>
    /// In one transaction: deletes <paramref name="activity"/>'s task, which must still be locked by the caller; commits
    /// <paramref name="checkpoint"/> exactly as <see cref="IDurableStoreHandoff.CommitAndLockActivitiesAsync"/> does, for an
    /// instance that must be at <paramref name="instance"/>'s version, not locked by anyone (no lock, or an expired one) and
    /// without deliverable inbox messages (those go first, with the result, through the inbox as today); and locks up to
    /// <paramref name="maxActivities"/> of the tasks the checkpoint enqueues for the caller. The activity's result is never
    /// written to the inbox: the checkpoint's history carries it.
    /// </summary>
    /// <param name="activity">The locked activity task being completed.</param>
    /// <param name="instance">The instance as the caller last committed it: id, execution id and version; it holds no lock.</param>
    /// <param name="checkpoint">The episode that applied the result; it consumes no inbox message.</param>
    /// <param name="activityLock">The lock for the tasks handed back to the caller.</param>
    /// <param name="maxActivities">How many of the new tasks to lock for the caller.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ActivityLockLostException">The task is gone or locked by someone else; nothing was written.</exception>
    /// <exception cref="OrchestrationConcurrencyException">The instance moved on, is locked, or has messages waiting; nothing was written.</exception>
    Task<HandoffCommit> CompleteActivityAndCommitAsync(
        ActivityWorkItem activity,
        OrchestrationWorkItem instance,
        OrchestrationCheckpoint checkpoint,
        LockRequest activityLock,
        int maxActivities,
        CancellationToken cancellationToken = default);
}
