using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>An activity work item with the task row it came from and the lock it holds.</summary>
internal sealed class SqliteActivityWorkItem : TaskActivityWorkItem
{
    /// <summary>The task's row.</summary>
    public required long Seq { get; init; }

    /// <summary>The lock this item holds on the row.</summary>
    public required long LockToken { get; init; }

    /// <summary>The orchestration instance the task belongs to.</summary>
    public required string InstanceId { get; init; }

    /// <summary>The scheduling event's id (<c>TaskScheduledEvent.EventId</c>).</summary>
    public required int TaskId { get; init; }

    /// <summary>The activity's name.</summary>
    public required string Name { get; init; }

    /// <summary>How many times the task was delivered, this time included.</summary>
    public required int DeliveryCount { get; init; }
}
