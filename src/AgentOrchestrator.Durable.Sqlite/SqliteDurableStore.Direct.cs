using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Sqlite;

/// <summary>Direct completion: an activity's task is deleted in the transaction that commits the episode applying its result.</summary>
public sealed partial class SqliteDurableStore
{
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
        var json = CheckpointJson.Of(checkpoint);
        var handoff = new ActivityHandoff(activityLock, Guid.NewGuid().ToString("N"), activityLock.Now + activityLock.LockDuration, maxActivities);
        return _writer.WriteAsync((connection, transaction) =>
        {
            // The instance's checks ride on its update (Commit). A refusal, or a task whose lock was lost after that, throws
            // and the writer rolls back this operation alone.
            var locked = Commit(connection, transaction, instance, checkpoint, json, handoff, unlockedAt: activityLock.Now);
            using (var remove = connection.Command("DELETE FROM activities WHERE task_id = $id AND lock_token = $token", transaction)
                .With("$id", activity.Task.Id).With("$token", activity.LockToken))
            {
                if (remove.ExecuteNonQuery() != 1)
                {
                    throw new ActivityLockLostException(activity.Task.Id);
                }
            }

            return new HandoffCommit(instance.Version + 1, locked);
        });
    }
}
