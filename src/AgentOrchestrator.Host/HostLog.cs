namespace AgentOrchestrator.Host;

/// <summary>The host's structured log messages (event ids 3000-3099). Payloads never go to logs, only ids and counts.</summary>
internal static partial class HostLog
{
    [LoggerMessage(3000, LogLevel.Warning,
        "No API keys are configured, so the demo keys are accepted: demo-client-key (client), demo-admin-key (admin), demo-integrator-key (integrator). " +
        "Try: curl -s -X POST {Address}/v1/sessions -H 'X-Api-Key: demo-client-key' -H 'Content-Type: application/json' -d '{{\"message\":\"Create a contact for Ada Lovelace ada@example.com and charge 42 EUR with card 4000000000000002\"}}' " +
        "- support page: {Address}/admin/ (key demo-admin-key). Configure Auth:Keys (see local.settings.sample.json) to turn the demo keys off.")]
    public static partial void DemoKeysInUse(ILogger logger, string address);

    [LoggerMessage(3001, LogLevel.Information, "AgentOrchestrator is listening on {Address}: session API /v1/sessions, support page /admin/, OpenAPI /openapi/v1.json, health /health/ready.")]
    public static partial void Started(ILogger logger, string address);

    [LoggerMessage(3002, LogLevel.Warning, "The store holds {Count} dead-lettered messages; see GET /admin/dead-letters.")]
    public static partial void DeadLettersFound(ILogger logger, long count);

    [LoggerMessage(3003, LogLevel.Warning, "Counting dead letters failed; the gauge keeps its last value.")]
    public static partial void DeadLetterCountFailed(ILogger logger, Exception exception);
}
