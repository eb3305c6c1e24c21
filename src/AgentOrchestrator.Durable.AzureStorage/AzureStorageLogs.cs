using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>The Azure Storage store's structured log messages, with stable event ids (2100-2199).</summary>
internal static partial class AzureStorageLogs
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Worker {OwnerId} acquired partition {Partition} of task hub {HubName}")]
    public static partial void PartitionAcquired(this ILogger logger, string ownerId, int partition, string hubName);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Worker {OwnerId} released partition {Partition} of task hub {HubName} to balance the load")]
    public static partial void PartitionReleased(this ILogger logger, string ownerId, int partition, string hubName);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Worker {OwnerId} lost partition {Partition} of task hub {HubName}: its lease could not be renewed")]
    public static partial void PartitionLost(this ILogger logger, string ownerId, int partition, string hubName);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Partition maintenance of task hub {HubName} failed; it runs again shortly")]
    public static partial void PartitionMaintenanceFailed(this ILogger logger, string hubName, Exception exception);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Information, Message = "Sweep of partition {Partition} recovered instance {InstanceId}: {Outbox} outbox items, {Tasks} activity tasks, inbox waiting {Inbox}")]
    public static partial void InstanceRecovered(this ILogger logger, int partition, string instanceId, int outbox, int tasks, bool inbox);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Warning, Message = "Sending the queue messages after a write to {InstanceId} failed; the partition sweep delivers them later")]
    public static partial void DispatchFailed(this ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 2112, Level = LogLevel.Warning, Message = "Dropped unreadable queue message {MessageId} from {Queue}")]
    public static partial void UnreadableQueueMessage(this ILogger logger, string messageId, string queue);

    [LoggerMessage(EventId = 2113, Level = LogLevel.Warning, Message = "Inbox row {RowKey} of {InstanceId} could not be read; it was dead-lettered")]
    public static partial void UnreadableInboxRow(this ILogger logger, string rowKey, string instanceId, Exception exception);

    [LoggerMessage(EventId = 2114, Level = LogLevel.Debug, Message = "Checkpoint of {InstanceId} retried with a fresh ETag: the status row changed but the version did not")]
    public static partial void CheckpointRetried(this ILogger logger, string instanceId);

    [LoggerMessage(EventId = 2115, Level = LogLevel.Warning, Message = "Deleting the rows of {InstanceId} that nobody reads any more failed; they stay until the instance is purged")]
    public static partial void GarbageDeleteFailed(this ILogger logger, string instanceId, Exception exception);
}
