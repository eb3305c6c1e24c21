using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.DurableTask.Worker;

/// <summary>The hosting layer's log messages (event ids 2100-2199).</summary>
internal static partial class WorkerLogs
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Durable Task worker '{Worker}' runs on DTFx over {Provider}.")]
    public static partial void Started(ILogger logger, string worker, string provider);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Durable Task worker '{Worker}' stopped.")]
    public static partial void Stopped(ILogger logger, string worker);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Durable Task worker '{Worker}' stopped before its running work items finished; they will run again.")]
    public static partial void ForcedStop(ILogger logger, string worker);
}
