namespace AgentOrchestrator.Host.Security;

/// <summary>API keys from configuration (<c>Auth:Keys:{id}:Sha256</c> and <c>Auth:Keys:{id}:Role</c>). Keys are stored only as SHA-256 hashes.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Auth";

    /// <summary>The keys by id.</summary>
    public Dictionary<string, ApiKeyEntry> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// When no key is configured, accept the documented demo keys (<c>demo-client-key</c>, <c>demo-admin-key</c>,
    /// <c>demo-integrator-key</c>) so the embedded default runs on a fresh machine. Default true; set false in production.
    /// </summary>
    public bool AllowDemoKeys { get; set; } = true;
}
