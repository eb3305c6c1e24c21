using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>Structured log events of the Azure Tables session event log, with stable event ids (5200-5219).</summary>
internal static partial class AzureTableSessionEventLogLogs
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Debug, Message = "Session event log table {Table} is ready")]
    public static partial void TableReady(ILogger logger, string table);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Debug, Message = "Append to the event log of session {SessionId} found its head moved by another writer (HTTP {Status}); numbering again (conflict {Conflicts})")]
    public static partial void AppendConflict(ILogger logger, string sessionId, int status, int conflicts);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Debug, Message = "Append to the event log of session {SessionId} waits for another writer's split append, which holds the log until {ReservedUntil}")]
    public static partial void WaitingForSplitAppend(ILogger logger, string sessionId, DateTimeOffset reservedUntil);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "A split append to the event log of session {SessionId} did not finish by {ReservedUntil} (its writer died or stalled); the log is taken over and its unfinished rows overwritten")]
    public static partial void SplitAppendTakenOver(ILogger logger, string sessionId, DateTimeOffset reservedUntil);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Information, Message = "{Count} record(s) of an append to the event log of session {SessionId} were stored by an earlier attempt of the same append whose answer was lost")]
    public static partial void EarlierAttemptStored(ILogger logger, string sessionId, int count);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Warning, Message = "Could not delete {Count} payload blob(s) of session {SessionId} that no record uses; they stay until the session's log is deleted")]
    public static partial void UnusedBlobsKept(ILogger logger, string sessionId, int count, Exception exception);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Debug, Message = "Deleted the event log of session {SessionId}: {Rows} row(s) and {Blobs} payload blob(s)")]
    public static partial void LogDeleted(ILogger logger, string sessionId, int rows, int blobs);
}
