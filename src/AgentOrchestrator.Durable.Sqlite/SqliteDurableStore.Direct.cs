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
            // Both checks come before the first write, so a refusal writes nothing even outside a savepoint.
            using (var unlocked = connection.Command(
                "SELECT 1 FROM instances WHERE instance_id = $id AND version = $version AND (locked_until IS NULL OR locked_until <= $now) "
                + "AND NOT EXISTS (SELECT 1 FROM inbox m WHERE m.instance_id = $id AND m.visible_at <= $now AND (m.is_control = 1 OR instances.status = 1))",
                transaction)
                .With("$id", instance.InstanceId).With("$version", instance.Version).With("$now", activityLock.Now.Ticks()))
            {
                if (unlocked.ExecuteScalar() is null)
                {
                    throw new OrchestrationConcurrencyException(instance.InstanceId, instance.Version);
                }
            }

            using (var remove = connection.Command("DELETE FROM activities WHERE task_id = $id AND lock_token = $token", transaction)
                .With("$id", activity.Task.Id).With("$token", activity.LockToken))
            {
                if (remove.ExecuteNonQuery() != 1)
                {
                    throw new ActivityLockLostException(activity.Task.Id);
                }
            }

            var locked = Commit(connection, transaction, instance, checkpoint, json, handoff);
            return new HandoffCommit(instance.Version + 1, locked);
        });
    }
}
