using DurableTask.Core;
using DurableTask.Core.History;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>A message for an instance's inbox, its JSON made before the write.</summary>
internal sealed class OutgoingMessage(TaskMessage message, long visibleAt)
{
    /// <summary>The target instance.</summary>
    public string InstanceId { get; } = message.OrchestrationInstance?.InstanceId
        ?? throw new ArgumentException("The message names no orchestration instance.", nameof(message));

    /// <summary>The message's event type.</summary>
    public EventType EventType { get; } = message.Event.EventType;

    /// <summary>The message.</summary>
    public TaskMessage Message { get; } = message;

    private string Json { get; } = DtfxJson.Serialize(message);

    /// <summary>Adds the message to the inbox; false when the instance does not exist or has finished (it is dropped).</summary>
    public bool Insert(WriteScope scope) => scope.Command(SqliteStatements.InsertMessage)
        .With("$id", InstanceId).With("$visible", visibleAt).With("$type", (int)EventType).With("$message", Json)
        .ExecuteNonQuery() == 1;
}
