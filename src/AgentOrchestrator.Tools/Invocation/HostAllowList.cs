using System.Net;

namespace AgentOrchestrator.Tools.Invocation;

/// <summary>Decides whether an HTTP tool may reach a URL: its host must match an allow-list entry, and
/// plain http is only for loopback unless insecure http is allowed.</summary>
internal sealed class HostAllowList
{
    private readonly string[] _entries;
    private readonly bool _allowInsecureHttp;

    public HostAllowList(IEnumerable<string> entries, bool allowInsecureHttp)
    {
        _entries = [.. entries.Select(e => e.Trim().ToLowerInvariant()).Where(e => e.Length > 0)];
        _allowInsecureHttp = allowInsecureHttp;
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

        if (!_entries.Any(entry => Matches(entry, host, uri.Port)))
        {
            return $"host '{host}:{uri.Port}' is not on the allow-list (AgentTools:AllowedHosts: {(_entries.Length == 0 ? "empty" : string.Join(", ", _entries))})";
        }

        return null;
    }

    private static bool Matches(string entry, string host, int port)
    {
        var entryHost = entry;
        var colon = entry.LastIndexOf(':');
        if (colon > 0 && !entry.EndsWith(']') && int.TryParse(entry.AsSpan(colon + 1), out var entryPort))
        {
            if (entryPort != port)
            {
                return false;
            }

            entryHost = entry[..colon];
        }

        entryHost = entryHost.Trim('[', ']');
        host = host.Trim('[', ']');
        return entryHost.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(entryHost[1..], StringComparison.Ordinal) && host.Length > entryHost.Length - 1
            : host == entryHost;
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
