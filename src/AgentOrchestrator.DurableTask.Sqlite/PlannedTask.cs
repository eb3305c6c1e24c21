using DurableTask.Core;
using DurableTask.Core.History;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>An activity task a checkpoint schedules, its JSON made before the write.</summary>
internal sealed class PlannedTask(TaskMessage message)
{
    /// <summary>The task message DurableTask.Core gave.</summary>
    public TaskMessage Message { get; } = message;

    /// <summary>The scheduling event.</summary>
    public TaskScheduledEvent Scheduled { get; } = message.Event as TaskScheduledEvent
        ?? throw new ArgumentException($"An activity message must hold a {nameof(TaskScheduledEvent)}.", nameof(message));

    /// <summary>The orchestration instance it belongs to.</summary>
    public string InstanceId { get; } = message.OrchestrationInstance.InstanceId;

    /// <summary>The row's JSON.</summary>
    public string Json { get; } = DtfxJson.Serialize(message);

    /// <summary>Inserts the task, free (<paramref name="token"/> null) or already claimed by <paramref name="owner"/>; returns its row.</summary>
    public long Insert(WriteScope scope, long now, string? owner, long? token, long until) => (long)scope.Command(SqliteStatements.InsertTask)
        .With("$id", InstanceId).With("$exec", Message.OrchestrationInstance.ExecutionId).With("$taskId", Scheduled.EventId)
        .With("$name", Scheduled.Name ?? string.Empty).With("$visible", token is null ? now : until).With("$count", token is null ? 0 : 1)
        .With("$owner", token is null ? null : owner).With("$token", token).With("$message", Json)
        .ExecuteScalar()!;
}
