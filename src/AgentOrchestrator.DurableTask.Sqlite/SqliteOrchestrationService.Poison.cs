using DurableTask.Core;
using DurableTask.Core.History;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// Poison messages: a message or task delivered more than <see cref="SqliteOrchestrationServiceSettings.MaxDeliveryCount"/>
/// times (each delivery counted when it is claimed, so crashes count too) is moved to <c>poison_messages</c> instead of being
/// delivered again. An activity task's orchestration is sent a non-retriable failure (<see cref="PoisonMessageErrorType"/>)
/// so it can compensate; an orchestration message can be put back once its cause is fixed.
/// </summary>
public sealed partial class SqliteOrchestrationService
{
    /// <summary>Lists set-aside messages, newest first (for a support page).</summary>
    /// <param name="instanceId">Only those of this instance; all by default.</param>
    /// <param name="limit">The most to return. Default 100.</param>
    /// <param name="beforeId">Only those with a smaller <see cref="PoisonMessage.Id"/> (the next page); none by default.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<IReadOnlyList<PoisonMessage>> GetPoisonMessagesAsync(
        string? instanceId = null, int limit = 100, long? beforeId = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureCreatedAsync().ConfigureAwait(false);
        return _readers.Read(connection =>
        {
            var list = new List<PoisonMessage>();
            using var reader = connection.Command(SqliteStatements.ListPoison)
                .With("$id", instanceId).With("$before", beforeId).With("$limit", limit).ExecuteReader();
            while (reader.Read())
            {
                var kind = (PoisonMessageKind)reader.GetInt32(1);
                var json = reader.GetString(9);
                var (executionId, name) = (reader.NullableString(3), reader.NullableString(5));
                if (kind == PoisonMessageKind.OrchestrationMessage && TryReadMessage(json) is { } message)
                {
                    executionId ??= message.OrchestrationInstance?.ExecutionId;
                    name ??= message.Event switch
                    {
                        EventRaisedEvent raised => raised.Name,
                        ExecutionStartedEvent started => started.Name,
                        _ => null,
                    };
                }

                list.Add(new PoisonMessage(
                    reader.GetInt64(0), kind, reader.GetString(2), executionId, reader.GetString(4), name, reader.GetInt32(6), reader.GetString(7),
                    new DateTimeOffset(reader.GetInt64(8), TimeSpan.Zero), json));
            }

            return (IReadOnlyList<PoisonMessage>)list;
        });
    }

    /// <summary>
    /// Puts a set-aside orchestration message back into its instance's inbox with its delivery count reset, in one
    /// transaction; false when no set-aside message has this id.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// It is an activity task (its orchestration was already told it failed), or its instance has finished or no longer
    /// exists; the message stays set aside.
    /// </exception>
    public async Task<bool> ResubmitPoisonMessageAsync(long poisonMessageId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureCreatedAsync().ConfigureAwait(false);
        var now = Now();
        var instanceId = await _writer.WriteAsync(scope =>
        {
            PoisonMessageKind kind;
            string id, json;
            using (var reader = scope.Command(SqliteStatements.TakePoison).With("$pid", poisonMessageId).ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }

                (kind, id, json) = ((PoisonMessageKind)reader.GetInt32(0), reader.GetString(1), reader.GetString(2));
            }

            if (kind == PoisonMessageKind.ActivityTask)
            {
                throw new InvalidOperationException(
                    $"Poison message {poisonMessageId} is an activity task; its orchestration was told the task failed, so it cannot be put back.");
            }

            if (!new OutgoingMessage(DtfxJson.DeserializeMessage(json), now).Insert(scope))
            {
                throw new InvalidOperationException(
                    $"Poison message {poisonMessageId} cannot be put back: instance '{id}' has finished or no longer exists.");
            }

            return id;
        }).ConfigureAwait(false);

        if (instanceId is null)
        {
            return false;
        }

        Log.PoisonResubmitted(_logger, poisonMessageId, instanceId);
        NotifyInstance(instanceId);
        return true;
    }

    /// <summary>Moves an inbox message to the poison table (in the caller's transaction).</summary>
    private static void SetAsideMessage(WriteScope scope, string instanceId, InboxRow row, string reason, long now)
    {
        scope.Command(SqliteStatements.InsertPoison)
            .With("$kind", (int)PoisonMessageKind.OrchestrationMessage).With("$id", instanceId).With("$exec", null)
            .With("$type", row.EventType.ToString()).With("$name", null).With("$count", row.DeliveryCount - 1).With("$reason", reason)
            .With("$now", now).With("$message", row.Json)
            .ExecuteNonQuery();
        scope.Command(SqliteStatements.DeleteMessage).With("$seq", row.Seq).ExecuteNonQuery();
    }

    /// <summary>Moves a task to the poison table and sends its orchestration a non-retriable failure for it.</summary>
    private static void SetAsideTask(WriteScope scope, PoisonedTask task, string reason, long now)
    {
        scope.Command(SqliteStatements.InsertPoison)
            .With("$kind", (int)PoisonMessageKind.ActivityTask).With("$id", task.InstanceId).With("$exec", task.ExecutionId)
            .With("$type", nameof(EventType.TaskScheduled)).With("$name", task.Name).With("$count", task.DeliveryCount).With("$reason", reason)
            .With("$now", now).With("$message", task.Json)
            .ExecuteNonQuery();
        scope.Command(SqliteStatements.DeleteTask).With("$seq", task.Seq).ExecuteNonQuery();
        var failure = new FailureDetails(PoisonMessageErrorType, $"Activity '{task.Name}' was set aside as a poison message: {reason}", null, null, true);
        var failed = new TaskFailedEvent(-1, task.TaskId, failure.ErrorMessage, null, failure);
        var message = new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = task.InstanceId, ExecutionId = task.ExecutionId }, Event = failed };
        new OutgoingMessage(message, now).Insert(scope);
    }
}
