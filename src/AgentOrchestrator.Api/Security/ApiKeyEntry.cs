namespace AgentOrchestrator.Api.Security;

/// <summary>One configured API key.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>The key's SHA-256 hash, hex.</summary>
    public string Sha256 { get; set; } = string.Empty;

    /// <summary>The key's role.</summary>
    public ApiRole Role { get; set; } = ApiRole.Client;
}
