using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Durable.Worker;

/// <summary>The worker's structured log messages, with stable event ids.</summary>
internal static partial class WorkerLogs
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Durable worker {WorkerId} started: {Orchestrations} orchestration and {Activities} activity slots")]
    public static partial void WorkerStarted(this ILogger logger, string workerId, int orchestrations, int activities);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Durable worker {WorkerId} stopped")]
    public static partial void WorkerStopped(this ILogger logger, string workerId);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Episode of {InstanceId} committed at version {Version}: {Events} events, {Tasks} tasks, {Messages} messages, status {Status}")]
    public static partial void EpisodeCommitted(this ILogger logger, string instanceId, long version, int events, int tasks, int messages, OrchestrationRuntimeStatus status);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Episode of {InstanceId} lost a race with another worker; it will be retried from the store")]
    public static partial void EpisodeConflict(this ILogger logger, string instanceId);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "Episode of {InstanceId} could not be processed; its messages were released for another try")]
    public static partial void EpisodeError(this ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Message {MessageId} for {InstanceId} was dead-lettered after {Deliveries} deliveries")]
    public static partial void MessageDeadLettered(this ILogger logger, string messageId, string instanceId, int deliveries);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Instance {InstanceId} finished with status {Status}")]
    public static partial void InstanceFinished(this ILogger logger, string instanceId, OrchestrationRuntimeStatus status);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Debug, Message = "Result of {TaskId} could not be committed directly with the next episode of {InstanceId} ({Reason}); it goes to the inbox")]
    public static partial void DirectCompletionFallback(this ILogger logger, string instanceId, string taskId, string reason);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Activity task {TaskId} ({Name}) was dead-lettered after {Deliveries} deliveries")]
    public static partial void ActivityDeadLettered(this ILogger logger, string taskId, string name, int deliveries);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Debug, Message = "Activity {Name} for {InstanceId} failed: {Error}")]
    public static partial void ActivityFailed(this ILogger logger, string name, string instanceId, string error);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Error, Message = "Activity task {TaskId} could not be completed in the store; it will be delivered again")]
    public static partial void ActivityCompletionError(this ILogger logger, string taskId, Exception exception);

    [LoggerMessage(EventId = 1023, Level = LogLevel.Warning, Message = "Activity task {TaskId} lost its lock while running; another worker may run it too")]
    public static partial void ActivityLockLost(this ILogger logger, string taskId);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "Polling the store failed; retrying after {Delay}")]
    public static partial void PollError(this ILogger logger, TimeSpan delay, Exception exception);
}
