namespace AgentOrchestrator.Host;

/// <summary>The host's structured log messages (event ids 3000-3099).</summary>
internal static partial class HostLog
{
    [LoggerMessage(3000, LogLevel.Warning, "No API keys are configured: the demo keys demo-client-key, demo-admin-key and demo-integrator-key are accepted (set Auth:AllowDemoKeys=false in production).")]
    public static partial void DemoKeysInUse(ILogger logger);
}
