using System.Text.Json;
using AgentOrchestrator.Tools.Invocation;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>What reading one manifest needs: where errors go and what the service level declared.</summary>
internal sealed class ManifestReadContext(string source, string service, ToolHandlerCatalog handlers)
{
    public string Source { get; } = source;

    public string Service { get; } = service;

    public ToolHandlerCatalog Handlers { get; } = handlers;

    /// <summary>Longest tool description allowed (<see cref="AgentToolsOptions.MaxToolDescriptionLength"/>).</summary>
    public int MaxDescriptionLength { get; init; } = int.MaxValue;

    public List<ManifestError> Errors { get; } = [];

    /// <summary>The effective base URL when it is valid and allowed; null otherwise.</summary>
    public Uri? BaseUri { get; set; }

    /// <summary>Whether a problem with the base URL was already reported.</summary>
    public bool BaseUriRejected { get; set; }

    public ToolAuth? ServiceAuth { get; set; }

    /// <summary>The manifest without its tools, part of every tool's fingerprint.</summary>
    public string ServiceHeader { get; set; } = string.Empty;

    public void Error(string pointer, string message) => Errors.Add(new ManifestError(Source, pointer, message));

    /// <summary>Checks an auth object; returns it when valid.</summary>
    public ToolAuth? ReadAuth(JsonElement auth, string pointer)
    {
        var scheme = auth.GetProperty("scheme").GetString() == "bearer" ? ToolAuthScheme.Bearer : ToolAuthScheme.Header;
        var secret = auth.GetProperty("secret").GetString()!;
        var header = auth.TryGetProperty("header", out var h) ? h.GetString() : null;
        var before = Errors.Count;
        if (scheme == ToolAuthScheme.Header && header is null)
        {
            Error(pointer + "/header", "is required for the header scheme: name the header that carries the secret");
        }

        if (scheme == ToolAuthScheme.Bearer && header is not null)
        {
            Error(pointer + "/header", "is only for the header scheme; bearer always uses Authorization");
        }

        if (LooksLikeInlineSecret(secret))
        {
            Error(pointer + "/secret", "looks like a secret value; name the configuration key that holds it (e.g. CRM_API_KEY) instead");
        }

        return Errors.Count == before ? new ToolAuth(scheme, header, secret) : null;
    }

    private static readonly string[] SecretPrefixes = ["sk_", "sk-", "pk_", "rk_", "ghp_", "gho_", "xoxb-", "xoxp-", "eyJ", "AKIA"];

    private static bool LooksLikeInlineSecret(string name) =>
        SecretPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))
        || (name.Length >= 24 && name.Any(char.IsAsciiLetterLower) && name.Any(char.IsAsciiLetterUpper) && name.Any(char.IsAsciiDigit));
}
