namespace AgentOrchestrator.Api.Security;

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

    /// <summary>Checks every key: a known role and a 64-digit hex SHA-256 hash (never the key itself).</summary>
    public void Validate()
    {
        foreach (var (id, entry) in Keys)
        {
            if (entry.Sha256.Length != 64 || !entry.Sha256.All(Uri.IsHexDigit))
            {
                throw new InvalidOperationException($"{SectionName}:Keys:{id}:Sha256 must be the key's SHA-256 hash as 64 hex digits (echo -n KEY | sha256sum), not the key.");
            }

            if (!Enum.IsDefined(entry.Role))
            {
                throw new InvalidOperationException($"{SectionName}:Keys:{id}:Role must be Client, Admin or Integrator.");
            }
        }
    }
}
