using DurableTask.Core;
using DurableTask.Core.History;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>An instance about to be created (by a client or as a sub-orchestration), its JSON made before the write.</summary>
internal sealed record NewInstance(
    string InstanceId,
    string ExecutionId,
    string Name,
    string? Version,
    string? Input,
    string? Tags,
    string? Parent,
    string? ParentInstanceId,
    int? ParentTaskId,
    long? ScheduledStart,
    string StartMessage)
{
    /// <summary>Reads a start message; an execution id is given to it when it has none.</summary>
    /// <exception cref="ArgumentException">The message is not a start message or names no instance.</exception>
    public static NewInstance From(TaskMessage message)
    {
        if (message.Event is not ExecutionStartedEvent started)
        {
            throw new ArgumentException($"Only {nameof(EventType.ExecutionStarted)} messages create instances.", nameof(message));
        }

        var instance = message.OrchestrationInstance ?? started.OrchestrationInstance
            ?? throw new ArgumentException("The start message names no orchestration instance.", nameof(message));
        if (string.IsNullOrEmpty(instance.InstanceId))
        {
            throw new ArgumentException("The start message names no instance id.", nameof(message));
        }

        if (string.IsNullOrEmpty(instance.ExecutionId))
        {
            instance.ExecutionId = Guid.NewGuid().ToString("N");
        }

        started.OrchestrationInstance ??= instance;
        return new NewInstance(
            instance.InstanceId,
            instance.ExecutionId,
            started.Name ?? string.Empty,
            started.Version,
            started.Input,
            DtfxJson.SerializeValue(started.Tags),
            DtfxJson.SerializeValue(started.ParentInstance),
            started.ParentInstance?.OrchestrationInstance?.InstanceId,
            started.ParentInstance?.TaskScheduleId,
            started.ScheduledStartTime is { } at ? Ticks.Of(at) : null,
            DtfxJson.Serialize(message));
    }

    /// <summary>Writes the instance (Pending) and its start message, visible at its scheduled start or now.</summary>
    public void Insert(WriteScope scope, long now)
    {
        scope.Command(SqliteStatements.InsertInstance)
            .With("$id", InstanceId).With("$exec", ExecutionId).With("$name", Name).With("$version", Version).With("$now", now)
            .With("$start", ScheduledStart).With("$parentId", ParentInstanceId)
            .ExecuteNonQuery();
        scope.Command(SqliteStatements.InsertInstanceData)
            .With("$id", InstanceId).With("$input", Input).With("$tags", Tags).With("$parent", Parent)
            .ExecuteNonQuery();
        scope.Command(SqliteStatements.InsertStartMessage)
            .With("$id", InstanceId).With("$visible", ScheduledStart ?? now).With("$type", (int)EventType.ExecutionStarted).With("$message", StartMessage)
            .ExecuteNonQuery();
    }
}
