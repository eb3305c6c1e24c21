using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Tools;

/// <summary>Structured log events of the tools layer. Event ids are stable: dashboards and alerts key on them.</summary>
internal static partial class ToolsLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Tool catalog version {Version} in force: {ToolCount} tools ({Sources} changed)")]
    public static partial void CatalogPublished(ILogger logger, long version, int toolCount, string sources);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Manifest rejected, previous version stays in force: {Error}")]
    public static partial void ManifestRejected(ILogger logger, string error);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Loading tool manifests from {Folder}")]
    public static partial void LoadingFolder(ILogger logger, string folder);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Could not read manifest {Source}; will retry on the next change")]
    public static partial void ManifestUnreadable(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Manifest folder watcher failed; rescanning {Folder}")]
    public static partial void WatcherFailed(ILogger logger, string folder, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "Reloading manifests from {Folder} failed")]
    public static partial void ReloadFailed(ILogger logger, string folder, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "Manifest {Source} could not be persisted; the previous version stays in force")]
    public static partial void PersistFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Debug, Message = "Tool {Tool} succeeded in {ElapsedMs} ms (status {Status}, replayed {Replayed})")]
    public static partial void ToolSucceeded(ILogger logger, string tool, long elapsedMs, int? status, bool replayed);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Tool {Tool} failed in {ElapsedMs} ms: {Code} (status {Status}, retryable {Retryable})")]
    public static partial void ToolFailed(ILogger logger, string tool, long elapsedMs, string code, int? status, bool retryable);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Information, Message = "Tool {Tool} answered in {ElapsedMs} ms that an earlier attempt with the same key still runs; retry after {RetryAfterMs} ms")]
    public static partial void ToolInProgress(ILogger logger, string tool, long elapsedMs, long retryAfterMs);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Error, Message = "Tool {Tool} needs secret {SecretName}, which configuration does not hold")]
    public static partial void SecretMissing(ILogger logger, string tool, string secretName);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Error, Message = "Tool {Tool} refused a request to {Url}: {Reason}")]
    public static partial void RequestRefused(ILogger logger, string tool, string url, string reason);
}
