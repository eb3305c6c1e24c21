using AgentOrchestrator.Api.DeadLetters;
using AgentOrchestrator.Api.Telemetry;

namespace AgentOrchestrator.Host.Telemetry;

/// <summary>Counts what the orchestration service set aside (poison messages) every <see cref="Interval"/> for the <c>agentorchestrator.dead_letters</c> gauge.</summary>
internal sealed class DeadLetterMonitor(IDeadLetterSource deadLetters, HostTelemetry telemetry, TimeProvider time, ILogger<DeadLetterMonitor> logger) : BackgroundService
{
    /// <summary>How often the count is read.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var count = (await deadLetters.ListAsync(null, 1000, stoppingToken)).Count;
                if (count > telemetry.DeadLetters)
                {
                    HostLog.DeadLettersFound(logger, count);
                }

                telemetry.DeadLetters = count;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                HostLog.DeadLetterCountFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
