namespace AgentOrchestrator.Tools;

/// <summary>Settings of the tools layer, bound from the <c>AgentTools</c> configuration section.</summary>
public sealed class AgentToolsOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "AgentTools";

    /// <summary>Folder the manifests are loaded from, relative to the content root. Default:
    /// <c>tools-manifests</c>. Empty disables folder loading (runtime registration only).</summary>
    public string? ManifestsPath { get; set; } = "tools-manifests";

    /// <summary>Whether the folder is watched and changed manifests reloaded. Default: <see langword="true"/>.</summary>
    public bool WatchManifests { get; set; } = true;

    /// <summary>How long the watcher waits after the last change before reloading, so an editor's burst of
    /// writes becomes one reload. Default: 250 milliseconds.</summary>
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Hosts HTTP tools may reach: <c>host</c> (any port), <c>host:port</c>, or <c>*.domain</c>
    /// (any subdomain). Default: empty, so no HTTP tool loads until its host is allowed.</summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Whether plain <c>http</c> is allowed to hosts other than loopback. Default:
    /// <see langword="false"/>: only loopback may be reached without TLS.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Per-service settings by the manifest's <c>service</c> name, e.g. a base URL override.</summary>
    public IDictionary<string, ToolServiceOptions> Services { get; } = new Dictionary<string, ToolServiceOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The manifest folder as a full path, or <see langword="null"/> when folder loading is off.</summary>
    /// <param name="contentRoot">The folder a relative <see cref="ManifestsPath"/> is resolved against; the current
    /// directory when <see langword="null"/>.</param>
    internal string? ResolveManifestsFolder(string? contentRoot) => string.IsNullOrWhiteSpace(ManifestsPath)
        ? null
        : Path.GetFullPath(ManifestsPath, contentRoot ?? Directory.GetCurrentDirectory());

    /// <summary>Largest response body an HTTP tool may return, in bytes. Default: 1 MiB.</summary>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;
}
