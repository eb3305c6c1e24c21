using System.Net;

namespace AgentOrchestrator.Tools.Invocation;

/// <summary>
/// Decides whether an HTTP tool may reach a URL: its origin (scheme, host and port) must be on the allow-list,
/// and plain http is only for loopback unless insecure http is allowed. The list is
/// <see cref="AgentToolsOptions.AllowedOrigins"/>; when that is empty, the origins of the configured
/// <c>AgentTools:Services:*:BaseUrl</c>s, which the host points at the services it embeds.
/// </summary>
internal sealed class OriginAllowList
{
    private readonly HashSet<string> _origins;
    private readonly string _described;
    private readonly bool _allowInsecureHttp;

    private OriginAllowList(IEnumerable<string> origins, string described, bool allowInsecureHttp)
    {
        _origins = new HashSet<string>(origins, StringComparer.Ordinal);
        _described = described;
        _allowInsecureHttp = allowInsecureHttp;
    }

    /// <summary>The allow-list the options describe. Entries were checked at start-up (<see cref="AgentToolsOptionsValidator"/>).</summary>
    public static OriginAllowList From(AgentToolsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AllowedOrigins.Count > 0)
        {
            var origins = options.AllowedOrigins.Select(e => TryParse(e, out var origin, out _) ? origin : null).OfType<string>().ToList();
            return new(origins, $"AgentTools:AllowedOrigins: {string.Join(", ", origins)}", options.AllowInsecureHttp);
        }

        var derived = options.Services.Values.Select(s => s.BaseUrl).OfType<Uri>().Where(u => u.IsAbsoluteUri).Select(Origin).Distinct().Order(StringComparer.Ordinal).ToList();
        return new(derived, derived.Count == 0
            ? "AgentTools:AllowedOrigins is empty and no AgentTools:Services:<service>:BaseUrl is configured, so no origin is allowed"
            : $"AgentTools:AllowedOrigins is empty, so only the origins of AgentTools:Services:*:BaseUrl are allowed: {string.Join(", ", derived)}", options.AllowInsecureHttp);
    }

    /// <summary>Reads an allow-list entry as an origin, e.g. <c>https://crm.example.com</c> or <c>http://127.0.0.1:5080</c>.</summary>
    /// <param name="entry">The configured text.</param>
    /// <param name="origin">The origin in canonical form (<c>scheme://host:port</c>, lower case, port always written).</param>
    /// <param name="error">Why the entry is not an origin.</param>
    public static bool TryParse(string? entry, out string? origin, out string? error)
    {
        origin = null;
        var text = entry?.Trim() ?? string.Empty;
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            error = "is a bare host, not an origin: write the scheme, and the port unless it is the scheme's default (e.g. 'http://127.0.0.1:5080' or 'https://crm.example.com')";
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            error = "is not an http or https origin (e.g. 'https://crm.example.com')";
            return false;
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0 || text.TrimEnd('/').Contains('*', StringComparison.Ordinal))
        {
            error = $"must be an origin only (scheme, host and port), without path, query, credentials or wildcards: '{Origin(uri)}'";
            return false;
        }

        origin = Origin(uri);
        error = null;
        return true;
    }

    /// <summary>Returns null when <paramref name="uri"/> may be reached, otherwise why not.</summary>
    public string? Check(Uri uri)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return $"'{uri}' is not an absolute http(s) URL";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return $"'{uri}' carries user information; put credentials in auth with a secret reference";
        }

        var host = uri.IdnHost.ToLowerInvariant();
        if (uri.Scheme == Uri.UriSchemeHttp && !_allowInsecureHttp && !IsLoopback(host))
        {
            return $"plain http to '{host}' is not allowed; use https, or set AgentTools:AllowInsecureHttp";
        }

        var origin = Origin(uri);
        return _origins.Contains(origin) ? null : $"origin '{origin}' is not on the allow-list ({_described})";
    }

    private static string Origin(Uri uri) => $"{uri.Scheme}://{(uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost.Trim('[', ']')}]" : uri.IdnHost).ToLowerInvariant()}:{uri.Port}";

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
