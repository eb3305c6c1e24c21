using System.Text.Json;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Durable.Sqlite;

/// <summary>Taking an instance or an activity task for a worker: the lock, the delivery count, the rows read back.</summary>
public sealed partial class SqliteDurableStore
{
    private const string DeliverableMessage = "m.visible_at <= $now AND (m.is_control = 1 OR i.status = 1)";

    /// <summary>Locks the instance with the oldest deliverable message.</summary>
    private const string LockNextInstanceSql =
        "UPDATE instances SET lock_token = $token, locked_until = $until WHERE instance_id = ("
        + $"SELECT i.instance_id FROM inbox m JOIN instances i ON i.instance_id = m.instance_id WHERE {DeliverableMessage} "
        + "AND (i.locked_until IS NULL OR i.locked_until <= $now) ORDER BY m.visible_at, m.seq LIMIT 1) "
        + "RETURNING instance_id, name, execution_id, status, version";

    /// <summary>Locks one named instance if it is unlocked and has a deliverable message (the handoff; a separate text so the plan starts from the instance).</summary>
    private const string LockThisInstanceSql =
        "UPDATE instances SET lock_token = $token, locked_until = $until WHERE instance_id = $only "
        + "AND (locked_until IS NULL OR locked_until <= $now) "
        + "AND EXISTS (SELECT 1 FROM inbox m WHERE m.instance_id = $only AND m.visible_at <= $now AND (m.is_control = 1 OR instances.status = 1)) "
        + "RETURNING instance_id, name, execution_id, status, version";

    /// <summary>Locks the next deliverable instance (or exactly <paramref name="instanceId"/>) and takes its visible messages.</summary>
    /// <remarks><paramref name="known"/> is a message the caller has just written: it is not read back from its JSON.</remarks>
    private static OrchestrationWorkItem? LockInstance(
        SqliteWriter.Lease connection, SqliteTransaction transaction, LockRequest request, string? instanceId, OrchestrationMessage? known = null)
    {
        var now = request.Now.Ticks();
        var token = Guid.NewGuid().ToString("N");
        var until = request.Now + request.LockDuration;
        using var lockInstance = connection.Command(instanceId is null ? LockNextInstanceSql : LockThisInstanceSql, transaction)
            .With("$token", token).With("$until", until.Ticks()).With("$now", now);
        if (instanceId is not null)
        {
            lockInstance.With("$only", instanceId);
        }

        string id, name, executionId;
        OrchestrationRuntimeStatus status;
        long version;
        using (var reader = lockInstance.ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            (id, name, executionId, status, version) =
                (reader.GetString(0), reader.GetString(1), reader.GetString(2), (OrchestrationRuntimeStatus)reader.GetInt32(3), reader.GetInt64(4));
        }

        // The instance is locked and its status known, so the messages are read without a join and counted one by one
        // (an UPDATE ... WHERE seq IN (subquery) RETURNING costs several times a read plus updates by rowid).
        using var take = connection.Command(
            "SELECT seq, message, delivery_count + 1, message_id FROM inbox WHERE instance_id = $id AND visible_at <= $now "
            + "AND (is_control = 1 OR $running = 1) ORDER BY visible_at, seq LIMIT $max", transaction)
            .With("$id", id).With("$now", now).With("$running", status == OrchestrationRuntimeStatus.Running ? 1 : 0).With("$max", request.MaxMessages);
        var messages = new List<(long Seq, OrchestrationMessage Message)>();
        var unreadable = new List<UnreadableRow>();
        using (var reader = take.ExecuteReader())
        {
            while (reader.Read())
            {
                try
                {
                    var stored = known is not null && reader.GetString(3) == known.Id ? known : HistorySerializer.DeserializeMessage(reader.GetString(1));
                    var message = stored with { DeliveryCount = reader.GetInt32(2) };
                    messages.Add((reader.GetInt64(0), message));
                }
                catch (Exception e) when (IsUnreadable(e))
                {
                    unreadable.Add(new UnreadableRow(reader.GetInt64(0), reader.GetString(3), reader.GetString(1), reader.GetInt32(2), e));
                }
            }
        }

        using (var count = connection.Command("UPDATE inbox SET delivery_count = delivery_count + 1 WHERE seq = $seq", transaction).With("$seq", 0L))
        {
            foreach (var (seq, _) in messages)
            {
                count.Set("$seq", seq);
                count.ExecuteNonQuery();
            }
        }

        unreadable.ForEach(row => DeadLetterUnreadableMessage(connection, transaction, row, id, request.Now));

        var ordered = messages.OrderBy(m => m.Message.VisibleAt).ThenBy(m => m.Seq).Select(m => m.Message).ToList();
        return new OrchestrationWorkItem(id, executionId, name, status, version, ordered, token, until);
    }

    /// <summary>Locks the oldest unlocked task (or exactly <paramref name="taskId"/>), counting the delivery; unreadable tasks are dead-lettered on the way.</summary>
    private static ActivityWorkItem? LockActivity(SqliteWriter.Lease connection, SqliteTransaction? transaction, LockRequest request, string? taskId)
    {
        var token = Guid.NewGuid().ToString("N");
        var until = request.Now + request.LockDuration;
        while (true)
        {
            UnreadableRow row;
            string instanceId;
            using (var take = connection.Command(
                "UPDATE activities SET delivery_count = delivery_count + 1, lock_token = $token, locked_until = $until WHERE seq = ("
                + "SELECT seq FROM activities WHERE (locked_until IS NULL OR locked_until <= $now) AND ($only IS NULL OR task_id = $only) "
                + "ORDER BY seq LIMIT 1) RETURNING task, delivery_count, seq, task_id, instance_id", transaction)
                .With("$token", token).With("$until", until.Ticks()).With("$now", request.Now.Ticks()).With("$only", taskId))
            using (var reader = take.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }

                try
                {
                    var task = JsonSerializer.Deserialize<ActivityTask>(reader.GetString(0), DataConverter.DefaultOptions)
                        ?? throw new JsonException("The task was null.");
                    return new ActivityWorkItem(task, reader.GetInt32(1), token, until);
                }
                catch (Exception e) when (IsUnreadable(e))
                {
                    row = new UnreadableRow(reader.GetInt64(2), reader.GetString(3), reader.GetString(0), reader.GetInt32(1), e);
                    instanceId = reader.GetString(4);
                }
            }

            DeadLetterUnreadableTask(connection, transaction, row, instanceId, request.Now);
        }
    }
}
