namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>Structured log events of the sample services, with stable event ids.</summary>
internal static partial class SampleServicesLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "{Service}: injected fault into {Operation} ({Mode})")]
    public static partial void FaultInjected(ILogger logger, string service, string operation, string mode);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "{Service}: holding {Operation} for {Latency} (injected latency)")]
    public static partial void LatencyInjected(ILogger logger, string service, string operation, TimeSpan latency);

}
