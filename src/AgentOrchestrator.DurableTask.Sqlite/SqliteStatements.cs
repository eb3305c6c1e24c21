using DurableTask.Core;
using DurableTask.Core.History;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// Every statement that claims, renews, releases or checkpoints work, in one place. <c>$now</c> is the caller's clock in
/// UTC ticks; a lock is a random <c>lock_token</c> plus its expiry (<c>locked_until</c> for instances, <c>visible_at</c> for
/// tasks) and the owning process (<see cref="LockOwner"/>). Every claim is one statement in a write transaction, so two
/// workers, in one process or in several, never hold the same instance or task.
/// </summary>
internal static class SqliteStatements
{
    private static readonly string Pending = Status(OrchestrationStatus.Pending);
    private static readonly string Start = ((int)EventType.ExecutionStarted).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The statuses after which an instance takes no more messages.</summary>
    public static readonly string Terminal = string.Join(", ", new[]
    {
        OrchestrationStatus.Completed, OrchestrationStatus.Failed, OrchestrationStatus.Terminated, OrchestrationStatus.Canceled,
    }.Select(Status));

    // ---- Orchestrations: which instance is ready, and claiming it ----

    /// <summary>
    /// A message is deliverable when it is visible and its instance is not locked; an instance that has not started yet
    /// (Pending) is deliverable only once its start message is visible (a delayed start keeps early events waiting with it).
    /// </summary>
    private static readonly string Deliverable =
        $"(i.locked_until IS NULL OR i.locked_until <= $now) AND (i.status <> {Pending} OR m.event_type = {Start})";

    /// <summary>When the next deliverable message becomes visible (now or later), for the fetch loop's read-only check.</summary>
    public static readonly string NextDeliverable =
        $"SELECT m.visible_at FROM inbox m INDEXED BY ix_inbox_visible JOIN instances i ON i.instance_id = m.instance_id WHERE {Deliverable} "
        + "ORDER BY m.visible_at LIMIT 1";

    /// <summary>Locks the instance of the oldest deliverable message.</summary>
    public static readonly string LockNextInstance =
        "UPDATE instances SET lock_owner = $owner, lock_token = $token, locked_until = $until WHERE instance_id = ("
        + $"SELECT m.instance_id FROM inbox m INDEXED BY ix_inbox_visible JOIN instances i ON i.instance_id = m.instance_id "
        + $"WHERE m.visible_at <= $now AND {Deliverable} ORDER BY m.visible_at LIMIT 1) "
        + "RETURNING instance_id, execution_id, status, history_length";

    /// <summary>The visible messages of a locked instance, oldest first.</summary>
    public const string VisibleMessages =
        "SELECT seq, delivery_count, event_type, message FROM inbox WHERE instance_id = $id AND visible_at <= $now ORDER BY seq LIMIT $max";

    /// <summary>When the instance's next not-yet-visible message (a durable timer) becomes visible.</summary>
    public const string NextInvisibleMessage = "SELECT MIN(visible_at) FROM inbox WHERE instance_id = $id AND visible_at > $now";

    /// <summary>Counts one more delivery of a message.</summary>
    public const string CountDelivery = "UPDATE inbox SET delivery_count = delivery_count + 1 WHERE seq = $seq";

    /// <summary>Takes back a delivery that never reached the orchestration (a work item released unprocessed).</summary>
    public const string UncountDelivery = "UPDATE inbox SET delivery_count = MAX(delivery_count - 1, 0) WHERE seq = $seq";

    /// <summary>The instance's history, in order.</summary>
    public const string History = "SELECT event FROM history WHERE instance_id = $id ORDER BY seq";

    /// <summary>The instance's custom status (a checkpoint writes it only when it changed).</summary>
    public const string CustomStatus = "SELECT custom_status FROM instance_data WHERE instance_id = $id";

    /// <summary>Extends a held instance lock.</summary>
    public const string RenewInstance = "UPDATE instances SET locked_until = $until WHERE instance_id = $id AND lock_token = $token";

    /// <summary>Releases a held instance lock.</summary>
    public const string ReleaseInstance =
        "UPDATE instances SET lock_owner = NULL, lock_token = NULL, locked_until = NULL WHERE instance_id = $id AND lock_token = $token";

    /// <summary>Releases a held instance lock but keeps the instance from being claimed before <c>$retryAt</c> (abandon).</summary>
    public const string AbandonInstance =
        "UPDATE instances SET lock_owner = NULL, lock_token = NULL, locked_until = $retryAt WHERE instance_id = $id AND lock_token = $token";

    // ---- The checkpoint ----

    /// <summary>
    /// The instance row of a checkpoint, only while the caller still holds the lock. With <c>$keep</c> the lock stays
    /// (extended to <c>$until</c>) for the next episode of an extended session; otherwise it is released in the same write.
    /// </summary>
    public const string CheckpointInstance =
        "UPDATE instances SET execution_id = $exec, name = $name, version = $version, status = $status, last_updated_at = $now, "
        + "completed_at = $completed, history_length = $length, lock_owner = CASE WHEN $keep THEN lock_owner END, "
        + "lock_token = CASE WHEN $keep THEN lock_token END, locked_until = CASE WHEN $keep THEN $until END "
        + "WHERE instance_id = $id AND lock_token = $token";

    /// <summary>A new execution (continue-as-new) starts with an empty history.</summary>
    public const string ClearHistory = "DELETE FROM history WHERE instance_id = $id";

    /// <summary>Rows appended to history by one statement at most (each statement costs the single writer more than a row).</summary>
    public const int HistoryRowsPerInsert = 8;

    /// <summary>The history insert for 1 to <see cref="HistoryRowsPerInsert"/> rows (index = row count); parameters <c>$sN, $tN, $eN</c>.</summary>
    public static readonly string[] AppendHistory = [.. Enumerable.Range(0, HistoryRowsPerInsert + 1).Select(n =>
        "INSERT INTO history (instance_id, seq, event_type, event) VALUES "
        + string.Join(", ", Enumerable.Range(0, n).Select(i => $"($id, $s{i}, $t{i}, $e{i})")))];

    /// <summary>Deletes a consumed message.</summary>
    public const string DeleteMessage = "DELETE FROM inbox WHERE seq = $seq";

    /// <summary>A new input and tags (continue-as-new).</summary>
    public const string UpdateInput = "UPDATE instance_data SET input = $input, tags = $tags WHERE instance_id = $id";

    /// <summary>A changed custom status.</summary>
    public const string UpdateCustomStatus = "UPDATE instance_data SET custom_status = $custom WHERE instance_id = $id";

    /// <summary>The outcome of a finished instance.</summary>
    public const string UpdateOutcome = "UPDATE instance_data SET output = $output, failure = $failure, custom_status = $custom WHERE instance_id = $id";

    /// <summary>Messages a finished instance will never read (late results, raised events, its own timers).</summary>
    public const string DeleteInstanceMessages = "DELETE FROM inbox WHERE instance_id = $id";

    /// <summary>Tasks of a terminated instance: those not started never run, the result of one running is dropped.</summary>
    public const string DeleteInstanceTasks = "DELETE FROM tasks WHERE instance_id = $id";

    // ---- Messages and instances ----

    /// <summary>
    /// Adds a message for an instance that exists and has not finished; no row when it has (the caller drops the message).
    /// </summary>
    public static readonly string InsertMessage =
        "INSERT INTO inbox (instance_id, visible_at, event_type, message) SELECT $id, $visible, $type, $message "
        + $"WHERE EXISTS (SELECT 1 FROM instances WHERE instance_id = $id AND status NOT IN ({Terminal}))";

    /// <summary>Adds the start message of an instance just created.</summary>
    public const string InsertStartMessage = "INSERT INTO inbox (instance_id, visible_at, event_type, message) VALUES ($id, $visible, $type, $message)";

    /// <summary>An instance's status and lock token, or no row.</summary>
    public const string InstanceStatus = "SELECT status, lock_token FROM instances WHERE instance_id = $id";

    /// <summary>A new instance, Pending until its first checkpoint.</summary>
    public static readonly string InsertInstance =
        "INSERT INTO instances (instance_id, execution_id, name, version, status, created_at, last_updated_at, scheduled_start_at, parent_instance_id) "
        + $"VALUES ($id, $exec, $name, $version, {Pending}, $now, $now, $start, $parentId)";

    /// <summary>A new instance's payloads.</summary>
    public const string InsertInstanceData = "INSERT INTO instance_data (instance_id, input, tags, parent) VALUES ($id, $input, $tags, $parent)";

    /// <summary>Everything of an instance except its poison messages (replacing it by a new instance with its id).</summary>
    public const string DeleteInstance =
        "DELETE FROM history WHERE instance_id = $id; DELETE FROM inbox WHERE instance_id = $id; DELETE FROM tasks WHERE instance_id = $id; "
        + "DELETE FROM instance_data WHERE instance_id = $id; DELETE FROM instances WHERE instance_id = $id;";

    /// <summary>Everything of an instance, poison messages included (purge).</summary>
    public const string PurgeInstance = DeleteInstance + " DELETE FROM poison_messages WHERE instance_id = $id;";

    /// <summary>Terminates an instance that has not started: no episode needs to run for it.</summary>
    public static readonly string TerminatePending =
        $"UPDATE instances SET status = {Status(OrchestrationStatus.Terminated)}, last_updated_at = $now, completed_at = $now, "
        + "lock_owner = NULL, lock_token = NULL, locked_until = NULL WHERE instance_id = $id; "
        + "UPDATE instance_data SET output = $reason WHERE instance_id = $id; DELETE FROM inbox WHERE instance_id = $id;";

    // ---- Activity tasks ----

    /// <summary>When the next task becomes free (its delay or lock runs out), for the fetch loop's read-only check.</summary>
    public const string NextFreeTask = "SELECT visible_at FROM tasks ORDER BY visible_at LIMIT 1";

    /// <summary>A new task; a task handed to this process's own activity dispatcher is inserted already claimed.</summary>
    public const string InsertTask =
        "INSERT INTO tasks (instance_id, execution_id, task_id, name, visible_at, delivery_count, lock_owner, lock_token, message) "
        + "VALUES ($id, $exec, $taskId, $name, $visible, $count, $owner, $token, $message) RETURNING seq";

    /// <summary>Claims the free task that has waited longest, counting the delivery.</summary>
    public const string LockNextTask =
        "UPDATE tasks SET lock_owner = $owner, lock_token = $token, visible_at = $until, delivery_count = delivery_count + 1 "
        + "WHERE seq = (SELECT seq FROM tasks WHERE visible_at <= $now ORDER BY visible_at LIMIT 1) "
        + "RETURNING seq, instance_id, execution_id, task_id, name, delivery_count, message";

    /// <summary>Extends a held task lock.</summary>
    public const string RenewTask = "UPDATE tasks SET visible_at = $until WHERE seq = $seq AND lock_token = $token";

    /// <summary>Deletes a completed task, only while the caller still holds it.</summary>
    public const string CompleteTask = "DELETE FROM tasks WHERE seq = $seq AND lock_token = $token";

    /// <summary>Deletes a task whose result a checkpoint applies directly, only while its worker still holds it.</summary>
    public const string DeleteCompletedTask = CompleteTask;

    /// <summary>Releases a held task, to be delivered again at <c>$retryAt</c>.</summary>
    public const string AbandonTask = "UPDATE tasks SET lock_owner = NULL, lock_token = NULL, visible_at = $retryAt WHERE seq = $seq AND lock_token = $token";

    /// <summary>Releases a task handed over but never given to the dispatcher, taking back its delivery.</summary>
    public const string ReleaseHandoff =
        "UPDATE tasks SET lock_owner = NULL, lock_token = NULL, visible_at = $now, delivery_count = MAX(delivery_count - 1, 0) "
        + "WHERE seq = $seq AND lock_token = $token";

    /// <summary>Deletes a task set aside as poison.</summary>
    public const string DeleteTask = "DELETE FROM tasks WHERE seq = $seq";

    // ---- Dead owners ----

    /// <summary>Every process that holds a lock.</summary>
    public const string LockOwners =
        "SELECT lock_owner FROM instances WHERE lock_owner IS NOT NULL UNION SELECT lock_owner FROM tasks WHERE lock_owner IS NOT NULL";

    /// <summary>Frees every lock of a dead owner; its tasks are free at once.</summary>
    public const string FreeOwner =
        "UPDATE instances SET lock_owner = NULL, lock_token = NULL, locked_until = NULL WHERE lock_owner = $owner; "
        + "UPDATE tasks SET lock_owner = NULL, lock_token = NULL, visible_at = $now WHERE lock_owner = $owner;";

    // ---- Poison ----

    /// <summary>Sets a message or task aside.</summary>
    public const string InsertPoison =
        "INSERT INTO poison_messages (kind, instance_id, execution_id, event_type, name, delivery_count, reason, set_aside_at, message) "
        + "VALUES ($kind, $id, $exec, $type, $name, $count, $reason, $now, $message)";

    /// <summary>Set-aside messages, newest first, optionally of one instance, before an id (paging).</summary>
    public const string ListPoison =
        "SELECT id, kind, instance_id, execution_id, event_type, name, delivery_count, reason, set_aside_at, message FROM poison_messages "
        + "WHERE ($id IS NULL OR instance_id = $id) AND ($before IS NULL OR id < $before) ORDER BY id DESC LIMIT $limit";

    /// <summary>Takes a set-aside message out, to put it back.</summary>
    public const string TakePoison = "DELETE FROM poison_messages WHERE id = $pid RETURNING kind, instance_id, message";

    // ---- Client reads ----

    /// <summary>The columns <see cref="SqliteOrchestrationService"/> turns into an <see cref="OrchestrationState"/>.</summary>
    public const string StateColumns =
        "i.instance_id, i.execution_id, i.name, i.version, i.status, i.created_at, i.last_updated_at, i.completed_at, i.scheduled_start_at, "
        + "d.custom_status, d.failure, d.tags, d.parent";

    /// <summary>One instance's state.</summary>
    public const string State =
        $"SELECT {StateColumns}, d.input, d.output FROM instances i LEFT JOIN instance_data d ON d.instance_id = i.instance_id WHERE i.instance_id = $id";

    /// <summary>Which of the given instances have messages visible now (woken sessions of other processes' messages).</summary>
    public const string InstancesWithVisibleMessages =
        "SELECT DISTINCT instance_id FROM inbox WHERE instance_id IN (SELECT value FROM json_each($ids)) AND visible_at <= $now";

    /// <summary>Which of the given instances have finished (woken waiters of other processes' checkpoints).</summary>
    public static readonly string FinishedInstances =
        $"SELECT instance_id FROM instances WHERE instance_id IN (SELECT value FROM json_each($ids)) AND status IN ({Terminal})";

    /// <summary>A status as the <c>status</c> column holds it.</summary>
    public static string Status(OrchestrationStatus status) => ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
