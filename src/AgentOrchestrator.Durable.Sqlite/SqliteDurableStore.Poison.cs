using System.Globalization;
using System.Text.Json;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Durable.Sqlite;

/// <summary>
/// Rows the store cannot read (written by an incompatible version, or damaged). Left in place, such a row would make
/// every poll throw and block the queue behind it, so the lock that finds it dead-letters it in the same transaction.
/// </summary>
public sealed partial class SqliteDurableStore
{
    /// <summary>Moves an unreadable inbox message to the dead letters.</summary>
    private static void DeadLetterUnreadableMessage(
        SqliteWriter.Lease connection, SqliteTransaction transaction, UnreadableRow row, string instanceId, DateTimeOffset now)
    {
        InsertDeadLetter(connection, transaction, new DeadLetter(
            row.Id, instanceId, DeadLetterKind.Orchestration, "UnreadableMessage", row.Raw, row.DeliveryCount,
            $"The message could not be read and was not delivered: {row.Error.Message}", now));
        using var delete = connection.Command("DELETE FROM inbox WHERE seq = $seq", transaction).With("$seq", row.Seq);
        delete.ExecuteNonQuery();
    }

    /// <summary>
    /// Moves an unreadable activity task to the dead letters and, when its id names the call, tells the orchestration
    /// with a non-retriable PoisonMessage failure, so it does not wait for a result that can never come.
    /// </summary>
    private static void DeadLetterUnreadableTask(
        SqliteWriter.Lease connection, SqliteTransaction? transaction, UnreadableRow row, string instanceId, DateTimeOffset now)
    {
        var reason = $"Activity task '{row.Id}' could not be read and was dead-lettered: {row.Error.Message}";
        InsertDeadLetter(connection, transaction!, new DeadLetter(
            row.Id, instanceId, DeadLetterKind.Activity, "UnreadableTask", row.Raw, row.DeliveryCount, reason, now));
        using (var delete = connection.Command("DELETE FROM activities WHERE seq = $seq", transaction).With("$seq", row.Seq))
        {
            delete.ExecuteNonQuery();
        }

        // Task ids are "{instance}:{execution}:task:{taskId}" (CheckpointBuilder); instance ids may contain ':'.
        var rest = row.Id.StartsWith($"{instanceId}:", StringComparison.Ordinal) ? row.Id[(instanceId.Length + 1)..].Split(':') : [];
        if (rest is [var executionId, "task", var number] && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var taskId))
        {
            var failed = new TaskFailed(taskId, new FailureDetails("PoisonMessage", reason, IsNonRetriable: true)) { Timestamp = now };
            using var insert = InsertMessageCommand(connection, transaction);
            BindMessage(insert, new OrchestrationMessage($"{instanceId}:{executionId}:result:{taskId}", instanceId, executionId, failed, now));
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>True for the errors that mean "this text is not a message or task this version can read".</summary>
    private static bool IsUnreadable(Exception error) => error is JsonException or NotSupportedException;

    /// <summary>A row whose JSON could not be read.</summary>
    private sealed record UnreadableRow(long Seq, string Id, string Raw, int DeliveryCount, Exception Error);
}
