namespace AgentOrchestrator.Tools;

/// <summary>How a side-effecting tool makes a retry harmless: every call carries a key, and the service
/// answers a repeated key with the stored result instead of acting twice.</summary>
/// <param name="HeaderName">Header carrying the key for HTTP tools; default <c>Idempotency-Key</c>.</param>
/// <param name="KeyTemplate">Key template: <c>{key}</c> is the orchestrator's key for the call, <c>{tool}</c>
/// the tool name, <c>{args.name}</c> an argument; default <c>{key}</c>.</param>
public sealed record ToolIdempotency(string HeaderName, string KeyTemplate)
{
    /// <summary>The header name used when a manifest names none.</summary>
    public const string DefaultHeaderName = "Idempotency-Key";

    /// <summary>The key template used when a manifest gives none.</summary>
    public const string DefaultKeyTemplate = "{key}";
}
