using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Agents.Model;

/// <summary>The model gateway's structured log messages (event ids 2100-2199).</summary>
internal static partial class ModelLog
{
    [LoggerMessage(2100, LogLevel.Warning, "Model deployment {Deployment} attempt {Attempt} failed ({Error}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string deployment, int attempt, double delayMs, string error);

    [LoggerMessage(2101, LogLevel.Warning, "Model deployment {Deployment} failed for good after {Attempts} attempts ({Error}); trying the next deployment")]
    public static partial void DeploymentFailed(ILogger logger, string deployment, int attempts, string error);
}
