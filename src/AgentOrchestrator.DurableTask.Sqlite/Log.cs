using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>The service's log messages. Event ids are stable: add new ones at the end, never renumber.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Created the task hub '{TaskHub}' (schema version {Version}) in '{Path}'.")]
    public static partial void SchemaCreated(ILogger logger, string taskHub, int version, string path);

    [LoggerMessage(2, LogLevel.Information, "Upgraded '{Path}' from schema version {From} to {To}.")]
    public static partial void SchemaUpgraded(ILogger logger, string path, int from, int to);

    [LoggerMessage(3, LogLevel.Debug, "Created instance '{InstanceId}' (execution '{ExecutionId}') of '{Name}'.")]
    public static partial void InstanceCreated(ILogger logger, string instanceId, string executionId, string name);

    [LoggerMessage(4, LogLevel.Information, "Replaced instance '{InstanceId}' (it was {Status}) by a new one with its id.")]
    public static partial void InstanceReplaced(ILogger logger, string instanceId, string status);

    [LoggerMessage(5, LogLevel.Warning, "Dropped a {EventType} message for instance '{InstanceId}': {Reason}.")]
    public static partial void MessageDropped(ILogger logger, string eventType, string instanceId, string reason);

    [LoggerMessage(6, LogLevel.Debug, "Locked instance '{InstanceId}' with {Count} message(s).")]
    public static partial void InstanceLocked(ILogger logger, string instanceId, int count);

    [LoggerMessage(7, LogLevel.Debug, "Checkpointed instance '{InstanceId}': {Status}, {Events} event(s), {Tasks} task(s), {Messages} message(s).")]
    public static partial void Checkpointed(ILogger logger, string instanceId, string status, int events, int tasks, int messages);

    [LoggerMessage(8, LogLevel.Warning, "The lock on instance '{InstanceId}' was lost (expired and taken, or the instance was replaced or purged); its work item is dropped.")]
    public static partial void InstanceLockLost(ILogger logger, string instanceId);

    [LoggerMessage(9, LogLevel.Warning, "The lock on task {TaskId} ('{Name}') of instance '{InstanceId}' was lost before it completed; its result is dropped (another worker ran or runs it).")]
    public static partial void TaskLockLost(ILogger logger, int taskId, string name, string instanceId);

    [LoggerMessage(10, LogLevel.Error, "Set aside a {EventType} message for instance '{InstanceId}' as poison after {DeliveryCount} deliveries.")]
    public static partial void MessagePoisoned(ILogger logger, string eventType, string instanceId, int deliveryCount);

    [LoggerMessage(11, LogLevel.Error, "Set aside task {TaskId} ('{Name}') of instance '{InstanceId}' as poison after {DeliveryCount} deliveries; the orchestration is told it failed.")]
    public static partial void TaskPoisoned(ILogger logger, int taskId, string name, string instanceId, int deliveryCount);

    [LoggerMessage(12, LogLevel.Error, "Set aside an unreadable message for instance '{InstanceId}'.")]
    public static partial void UnreadableMessage(ILogger logger, Exception error, string instanceId);

    [LoggerMessage(13, LogLevel.Warning, "Freed {Count} lock(s) held by '{Owner}', a process on this machine that no longer runs.")]
    public static partial void DeadOwnerFreed(ILogger logger, int count, string owner);

    [LoggerMessage(14, LogLevel.Warning, "Abandoned the work item of instance '{InstanceId}'; it is retried after {Delay}.")]
    public static partial void InstanceAbandoned(ILogger logger, string instanceId, TimeSpan delay);

    [LoggerMessage(15, LogLevel.Warning, "Abandoned task {TaskId} ('{Name}') of instance '{InstanceId}'; it is retried after {Delay}.")]
    public static partial void TaskAbandoned(ILogger logger, int taskId, string name, string instanceId, TimeSpan delay);

    [LoggerMessage(16, LogLevel.Warning, "Looking for changes by other processes failed; trying again.")]
    public static partial void WatchFailed(ILogger logger, Exception error);

    [LoggerMessage(17, LogLevel.Warning, "Looking for locks of dead processes failed; trying again.")]
    public static partial void DeadOwnerScanFailed(ILogger logger, Exception error);

    [LoggerMessage(18, LogLevel.Information, "Put back poison message {Id} for instance '{InstanceId}'.")]
    public static partial void PoisonResubmitted(ILogger logger, long id, string instanceId);

    [LoggerMessage(19, LogLevel.Information, "Purged {Count} instance(s).")]
    public static partial void Purged(ILogger logger, int count);

    [LoggerMessage(20, LogLevel.Information, "Terminated instance '{InstanceId}' before it started.")]
    public static partial void TerminatedPending(ILogger logger, string instanceId);

    [LoggerMessage(21, LogLevel.Warning, "Could not read the history of instance '{InstanceId}'; its work item is abandoned.")]
    public static partial void UnreadableHistory(ILogger logger, Exception error, string instanceId);
}
