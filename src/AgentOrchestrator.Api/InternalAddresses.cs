using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace AgentOrchestrator.Api;

/// <summary>
/// Recognises addresses and endpoints inside the deployment (loopback, private and link-local IPs, names such as
/// <c>localhost</c> or <c>*.internal</c>, and every host the configuration names: the model endpoint, tool services,
/// allowed tool hosts, the host's own URLs, the telemetry endpoint) and hides them from chat clients. Staff views keep
/// them: this is a presentation concern, applied to what the client API and stream show.
/// </summary>
public sealed partial class InternalAddresses
{
    /// <summary>What an address is replaced with.</summary>
    public const string Hidden = "[internal address]";

    private readonly HashSet<string> _configured;
    private readonly Regex? _configuredNames;

    /// <summary>Collects the hosts named by configuration.</summary>
    public InternalAddresses(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var urls = new[] { configuration["Agents:Model:Endpoint"], configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] }
            .Concat(configuration.GetSection("AgentTools:Services").GetChildren().Select(s => s["BaseUrl"]))
            .Concat((configuration["Urls"] ?? string.Empty).Split(';'));
        _configured = new HashSet<string>(
            urls.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri.IdnHost : null)
                .Concat(configuration.GetSection("AgentTools:AllowedHosts").GetChildren().Select(h => h.Value))
                .Where(h => !string.IsNullOrWhiteSpace(h) && h is not ("0.0.0.0" or "*" or "+" or "[::]" or "::"))
                .Select(h => h!.Trim('[', ']')),
            StringComparer.OrdinalIgnoreCase);
        var names = _configured.Where(h => !IPAddress.TryParse(h, out _)).OrderByDescending(h => h.Length).Select(Regex.Escape).ToList();
        _configuredNames = names.Count == 0
            ? null
            : new Regex($@"(?<![\w.@-])(?:{string.Join("|", names)})(?::\d{{1,5}})?(?![\w-]|\.\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Replaces internal addresses in <paramref name="text"/> with <see cref="Hidden"/>: URLs, IP addresses (with a port
    /// or not) and host names with a port whose host is internal, and internal host names on their own. With
    /// <paramref name="everyAddress"/> (for error messages, which have no business naming endpoints to a client) every
    /// URL, IP address and host-with-port is hidden, internal or not.
    /// </summary>
    public string Hide(string text, bool everyAddress)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hidden = Url().Replace(text, m =>
        {
            var trimmed = m.Value.TrimEnd('.', ',', ';', ':', '!', '?');
            var hide = everyAddress || (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && IsInternal(uri.IdnHost.Trim('[', ']')));
            return hide ? Hidden + m.Value[trimmed.Length..] : m.Value;
        });
        hidden = IpAddress().Replace(hidden, m => everyAddress || IsInternal(m.Groups["ip"].Value) ? Hidden : m.Value);
        hidden = HostWithPort().Replace(hidden, m => everyAddress || IsInternal(m.Groups["host"].Value) ? Hidden : m.Value);
        hidden = InternalName().Replace(hidden, Hidden);
        return _configuredNames?.Replace(hidden, Hidden) ?? hidden;
    }

    private bool IsInternal(string host)
    {
        if (_configured.Contains(host) || InternalName().IsMatch(host))
        {
            return true;
        }

        if (!IPAddress.TryParse(host, out var ip))
        {
            return false;
        }

        if (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6UniqueLocal;
        }

        var b = ip.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] is >= 64 and <= 127);
    }

    // scheme://authority/path... (an IPv6 authority in brackets included); trailing punctuation is given back.
    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9+.-]*://(?:\[[0-9A-Fa-f:.]+\]|[^\s/""'<>()\\\[\]{}])+[^\s""'<>()\\{}]*")]
    private static partial Regex Url();

    // 10.0.0.7, 127.0.0.1:5080, [::1]:5080, [fd00::1]; not part of a longer dotted number such as a version.
    [GeneratedRegex(@"(?<![\w.:\[])(?<ip>(?:\d{1,3}\.){3}\d{1,3})(?::\d{1,5})?(?![\w]|\.\d)|\[(?<ip>[0-9A-Fa-f:.]+)\](?::\d{1,5})?|(?<![\w:])(?<ip>::1)(?![\w:])")]
    private static partial Regex IpAddress();

    // billing.internal:443, crm:8080 (a host name, then a port).
    [GeneratedRegex(@"(?<![\w.@/-])(?<host>[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*):\d{1,5}(?!\w)")]
    private static partial Regex HostWithPort();

    // localhost, and names under the suffixes used only inside networks.
    [GeneratedRegex(@"(?<![\w.@-])(?:(?:[A-Za-z0-9-]+\.)*localhost|(?:[A-Za-z0-9-]+\.)+(?:internal|local|lan|intranet|corp|home\.arpa|svc))(?::\d{1,5})?(?![\w-]|\.\w)", RegexOptions.IgnoreCase)]
    private static partial Regex InternalName();
}
