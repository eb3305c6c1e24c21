using System.Text.Json;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Durable.Sqlite;

/// <summary>The worker half of the SQLite store: locks, the checkpoint transaction and activity completion.</summary>
public sealed partial class SqliteDurableStore
{
    /// <inheritdoc />
    public Task<OrchestrationWorkItem?> TryLockOrchestrationAsync(LockRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _writer.WriteAsync((connection, transaction) =>
        {
            var item = LockInstance(connection, transaction, request, instanceId: null);
            return item;
        });
    }

    /// <inheritdoc />
    public Task<long> CommitOrchestrationAsync(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var json = CheckpointJson.Of(checkpoint);
        return _writer.WriteAsync((connection, transaction) =>
        {
            Commit(connection, transaction, workItem, checkpoint, json);
            return workItem.Version + 1;
        });
    }

    /// <inheritdoc />
    public Task<HandoffCommit> CommitAndLockActivitiesAsync(
        OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, LockRequest activityLock, int maxActivities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(activityLock);
        var json = CheckpointJson.Of(checkpoint);
        var handoff = new ActivityHandoff(activityLock, Guid.NewGuid().ToString("N"), activityLock.Now + activityLock.LockDuration, maxActivities);
        return _writer.WriteAsync((connection, transaction) =>
        {
            var locked = Commit(connection, transaction, workItem, checkpoint, json, handoff);
            return new HandoffCommit(workItem.Version + 1, locked);
        });
    }

    private const string UpdateInstanceSql =
        "UPDATE instances SET execution_id = $exec, status = $status, input = $input, output = $output, custom_status = $custom, "
        + "failure = $failure, last_updated_at = $updated, completed_at = $completed, version = version + 1, "
        + "lock_token = CASE WHEN lock_token = $token THEN NULL ELSE lock_token END, "
        + "locked_until = CASE WHEN lock_token = $token THEN NULL ELSE locked_until END "
        + "WHERE instance_id = $id AND version = $version";

    /// <summary>
    /// The update for direct completion: the instance must also be unlocked and have no message its next episode would
    /// have to take first, checked by the same statement.
    /// </summary>
    private const string UpdateUnlockedInstanceSql = UpdateInstanceSql
        + " AND (locked_until IS NULL OR locked_until <= $now) "
        + "AND NOT EXISTS (SELECT 1 FROM inbox m WHERE m.instance_id = $id AND m.visible_at <= $now AND (m.is_control = 1 OR instances.status = 1))";

    /// <summary>
    /// Writes the checkpoint; the first <see cref="ActivityHandoff.Max"/> new tasks are inserted already locked when a
    /// handoff is given. With <paramref name="unlockedAt"/>, the instance is not locked by the caller but must be free at
    /// that time (direct completion).
    /// </summary>
    private static List<ActivityWorkItem> Commit(
        SqliteWriter.Lease connection, SqliteTransaction transaction, OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, CheckpointJson json,
        ActivityHandoff? handoff = null, DateTimeOffset? unlockedAt = null)
    {
        var update = checkpoint.Instance;
        using (var status = connection.Command(unlockedAt is null ? UpdateInstanceSql : UpdateUnlockedInstanceSql, transaction)
            .With("$exec", update.ExecutionId).With("$status", (int)update.Status).With("$input", update.Input).With("$output", update.Output)
            .With("$custom", update.CustomStatus)
            .With("$failure", json.Failure)
            .With("$updated", update.LastUpdatedAt.Ticks()).With("$completed", update.CompletedAt?.Ticks())
            .With("$token", workItem.LockToken).With("$id", workItem.InstanceId).With("$version", workItem.Version))
        {
            if (unlockedAt is { } now)
            {
                status.With("$now", now.Ticks());
            }

            if (status.ExecuteNonQuery() != 1)
            {
                throw new OrchestrationConcurrencyException(workItem.InstanceId, workItem.Version);
            }
        }

        if (checkpoint.ReplacesHistory)
        {
            using var clear = connection.Command("DELETE FROM history WHERE instance_id = $id", transaction).With("$id", workItem.InstanceId);
            clear.ExecuteNonQuery();
        }

        AppendHistory(connection, transaction, workItem.InstanceId, json.Events);
        using (var consume = connection.Command("DELETE FROM inbox WHERE instance_id = $id AND message_id = $mid", transaction)
            .With("$id", workItem.InstanceId).With("$mid", null))
        {
            foreach (var id in checkpoint.ConsumedMessageIds)
            {
                consume.Set("$mid", id);
                consume.ExecuteNonQuery();
            }
        }

        var locked = InsertTasks(connection, transaction, checkpoint.ActivityTasks, json.Tasks, handoff);
        foreach (var child in checkpoint.NewInstances)
        {
            using var exists = connection.Command("SELECT 1 FROM instances WHERE instance_id = $id", transaction).With("$id", child.InstanceId);
            if (exists.ExecuteScalar() is null)
            {
                InsertInstance(connection, transaction, child, 0);
            }
        }

        using (var insert = InsertMessageCommand(connection, transaction))
        {
            for (var i = 0; i < checkpoint.Messages.Count; i++)
            {
                BindMessage(insert, checkpoint.Messages[i], json.Messages[i]);
                insert.ExecuteNonQuery();
            }
        }

        checkpoint.DeadLetters.ToList().ForEach(letter => InsertDeadLetter(connection, transaction, letter));
        if (checkpoint.LogEntries.Count > 0)
        {
            AppendLog(connection, transaction, workItem.InstanceId, checkpoint.LogEntries);
        }

        return locked;
    }

    /// <inheritdoc />
    public Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        return _writer.WriteAsync((connection, transaction) =>
        {
            using var release = connection.Command(
                "UPDATE instances SET lock_token = NULL, locked_until = NULL WHERE instance_id = $id AND lock_token = $token")
                .With("$id", workItem.InstanceId).With("$token", workItem.LockToken);
            release.ExecuteNonQuery();

            return true;
        });
    }

    /// <inheritdoc />
    public Task<ActivityWorkItem?> TryLockActivityAsync(LockRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _writer.WriteAsync((connection, transaction) =>
        {
            return LockActivity(connection, null, request, taskId: null);
        });
    }

    /// <inheritdoc />
    public Task<bool> RenewActivityLockAsync(ActivityWorkItem workItem, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        return _writer.WriteAsync((connection, transaction) =>
        {
            using var renew = connection.Command("UPDATE activities SET locked_until = $until WHERE task_id = $id AND lock_token = $token")
                .With("$until", lockedUntil.Ticks()).With("$id", workItem.Task.Id).With("$token", workItem.LockToken);
            return renew.ExecuteNonQuery() == 1;
        });
    }

    /// <inheritdoc />
    public Task CompleteActivityAsync(ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(result);
        var json = SerializeMessage(result);
        return _writer.WriteAsync((connection, transaction) =>
        {
            Complete(connection, transaction, workItem, result, json, deadLetter);
            return true;
        });
    }

    /// <inheritdoc />
    public Task<OrchestrationWorkItem?> CompleteAndLockInstanceAsync(
        ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter, LockRequest instanceLock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(instanceLock);
        var json = SerializeMessage(result);
        return _writer.WriteAsync((connection, transaction) =>
        {
            var inserted = Complete(connection, transaction, workItem, result, json, deadLetter);
            var next = LockInstance(connection, transaction, instanceLock, result.InstanceId, known: inserted ? result : null);
            return next;
        });
    }

    /// <summary>Delivers the result and deletes the task; true when the result was new (not a duplicate delivery).</summary>
    private static bool Complete(
        SqliteWriter.Lease connection, SqliteTransaction transaction, ActivityWorkItem workItem, OrchestrationMessage result, string resultJson, DeadLetter? deadLetter)
    {
        bool inserted;
        using (var insert = InsertMessageCommand(connection, transaction))
        {
            BindMessage(insert, result, resultJson);
            inserted = insert.ExecuteNonQuery() == 1;
        }

        using (var remove = connection.Command("DELETE FROM activities WHERE task_id = $id", transaction).With("$id", workItem.Task.Id))
        {
            remove.ExecuteNonQuery();
        }

        if (deadLetter is not null)
        {
            InsertDeadLetter(connection, transaction, deadLetter);
        }

        return inserted;
    }

    /// <inheritdoc />
    public Task AbandonActivityAsync(ActivityWorkItem workItem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        return _writer.WriteAsync((connection, transaction) =>
        {
            using var release = connection.Command("UPDATE activities SET lock_token = NULL, locked_until = NULL WHERE task_id = $id AND lock_token = $token")
                .With("$id", workItem.Task.Id).With("$token", workItem.LockToken);
            release.ExecuteNonQuery();

            return true;
        });
    }

    private static void InsertInstance(SqliteWriter.Lease connection, SqliteTransaction transaction, NewInstance instance, long version)
    {
        using (var insert = connection.Command(
            "INSERT INTO instances (instance_id, name, execution_id, status, input, created_at, last_updated_at, parent_instance_id, version) "
            + "VALUES ($id, $name, $exec, 0, $input, $created, $created, $parent, $version)", transaction)
            .With("$id", instance.InstanceId).With("$name", instance.Name).With("$exec", instance.ExecutionId).With("$input", instance.Input)
            .With("$created", instance.CreatedAt.Ticks()).With("$parent", instance.Parent?.InstanceId).With("$version", version))
        {
            insert.ExecuteNonQuery();
        }

        using var start = InsertMessageCommand(connection, transaction);
        BindMessage(start, instance.StartMessage);
        start.ExecuteNonQuery();
    }

    private static void DeleteInstance(SqliteWriter.Lease connection, SqliteTransaction transaction, string instanceId)
    {
        using var delete = connection.Command(
            "DELETE FROM history WHERE instance_id = $id; DELETE FROM inbox WHERE instance_id = $id; "
            + "DELETE FROM activities WHERE task_id > $id || ':' AND task_id < $id || ';' AND instance_id = $id; " // task ids begin with "{instance}:"
            + "DELETE FROM instance_log WHERE instance_id = $id; DELETE FROM instances WHERE instance_id = $id;", transaction).With("$id", instanceId);
        delete.ExecuteNonQuery();
    }

    private static void AppendHistory(SqliteWriter.Lease connection, SqliteTransaction transaction, string instanceId, IReadOnlyList<string> events)
    {
        // One statement per chunk of rows instead of one per event: an episode writes several events, and each statement
        // costs the single writer more than the rows themselves. Each chunk numbers its rows after the instance's last one.
        for (var start = 0; start < events.Count; start += HistoryRowsPerInsert)
        {
            var count = Math.Min(HistoryRowsPerInsert, events.Count - start);
            using var insert = connection.Command(HistoryInsertSql[count], transaction).With("$id", instanceId);
            for (var i = 0; i < count; i++)
            {
                insert.With(HistoryEventNames[i], events[start + i]);
            }

            insert.ExecuteNonQuery();
        }
    }

    private const int HistoryRowsPerInsert = 8;

    private static readonly string[] HistoryEventNames = [.. Enumerable.Range(0, HistoryRowsPerInsert).Select(i => $"$e{i}")];

    /// <summary>The history insert for 1 to <see cref="HistoryRowsPerInsert"/> rows (index = row count), each text its own cached statement.</summary>
    private static readonly string[] HistoryInsertSql = [.. Enumerable.Range(0, HistoryRowsPerInsert + 1).Select(n =>
        "INSERT INTO history (instance_id, seq, event) SELECT $id, tail.next + added.column1, added.column2 "
        + "FROM (SELECT COALESCE(MAX(seq), -1) + 1 AS next FROM history WHERE instance_id = $id) tail, "
        + "(VALUES " + string.Join(", ", Enumerable.Range(0, n).Select(i => $"({i}, $e{i})")) + ") added")];

    /// <summary>
    /// Inserts the tasks if absent. With a handoff, the first ones are inserted already locked (their first delivery), which
    /// spares the lock a second statement and reading the task back; one that already existed is locked the ordinary way.
    /// </summary>
    private static List<ActivityWorkItem> InsertTasks(
        SqliteWriter.Lease connection, SqliteTransaction transaction, IReadOnlyList<ActivityTask> tasks, IReadOnlyList<string> json, ActivityHandoff? handoff)
    {
        var locked = new List<ActivityWorkItem>();
        using var insert = connection.Command(
            "INSERT OR IGNORE INTO activities (task_id, instance_id, task, delivery_count, lock_token, locked_until) VALUES ($id, $instance, $task, $count, $token, $until)",
            transaction).With("$id", null).With("$instance", null).With("$task", null).With("$count", 0).With("$token", null).With("$until", null);
        for (var i = 0; i < tasks.Count; i++)
        {
            var lockIt = handoff is not null && i < handoff.Max;
            insert.Set("$id", tasks[i].Id);
            insert.Set("$instance", tasks[i].InstanceId);
            insert.Set("$task", json[i]);
            insert.Set("$count", lockIt ? 1 : 0);
            insert.Set("$token", lockIt ? handoff!.Token : null);
            insert.Set("$until", lockIt ? handoff!.Until.Ticks() : null);
            if (!lockIt)
            {
                insert.ExecuteNonQuery();
            }
            else if (insert.ExecuteNonQuery() == 1)
            {
                locked.Add(new ActivityWorkItem(tasks[i], 1, handoff!.Token, handoff.Until));
            }
            else if (LockActivity(connection, transaction, handoff!.Request, tasks[i].Id) is { } item)
            {
                locked.Add(item);
            }
        }

        return locked;
    }

    /// <summary>Insert-if-absent by message id, and only when the target instance exists.</summary>
    private static SqliteCommand InsertMessageCommand(SqliteWriter.Lease connection, SqliteTransaction? transaction)
        => connection.Command(
            "INSERT OR IGNORE INTO inbox (message_id, instance_id, visible_at, is_control, message) "
            + "SELECT $mid, $instance, $visible, $control, $message WHERE EXISTS (SELECT 1 FROM instances WHERE instance_id = $instance)", transaction)
            .With("$mid", null).With("$instance", null).With("$visible", 0L).With("$control", 0).With("$message", null);

    private static void BindMessage(SqliteCommand insert, OrchestrationMessage message) => BindMessage(insert, message, SerializeMessage(message));

    private static void BindMessage(SqliteCommand insert, OrchestrationMessage message, string json)
    {
        insert.Set("$mid", message.Id);
        insert.Set("$instance", message.InstanceId);
        insert.Set("$visible", message.VisibleAt.Ticks());
        insert.Set("$control", message.IsControl ? 1 : 0);
        insert.Set("$message", json);
    }

    /// <summary>A message as the inbox keeps it (delivery count zero).</summary>
    private static string SerializeMessage(OrchestrationMessage message) => HistorySerializer.SerializeMessage(message with { DeliveryCount = 0 });

    private static void InsertDeadLetter(SqliteWriter.Lease connection, SqliteTransaction transaction, DeadLetter letter)
    {
        using var insert = connection.Command(
            "INSERT INTO dead_letters (message_id, instance_id, kind, name, payload, delivery_count, reason, dead_lettered_at) "
            + "VALUES ($mid, $instance, $kind, $name, $payload, $count, $reason, $at)", transaction)
            .With("$mid", letter.MessageId).With("$instance", letter.InstanceId).With("$kind", (int)letter.Kind).With("$name", letter.Name)
            .With("$payload", letter.Payload).With("$count", letter.DeliveryCount).With("$reason", letter.Reason).With("$at", letter.DeadLetteredAt.Ticks());
        insert.ExecuteNonQuery();
    }
}
