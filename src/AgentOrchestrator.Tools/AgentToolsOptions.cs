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

    /// <summary>Origins HTTP tools may reach: scheme, host and port, e.g. <c>https://crm.example.com</c> (port 443) or
    /// <c>http://127.0.0.1:5080</c>. A bare host is a start-up error: allowing a host on every port and scheme
    /// would let a manifest reach any service on it. Default: empty, which allows exactly the origins of the
    /// configured <c>Services:&lt;service&gt;:BaseUrl</c>s (the services the host embeds) and nothing else.</summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>Entries still configured under the retired <c>AgentTools:AllowedHosts</c> (configuration path and
    /// value), refused at start-up with the origin to write instead.</summary>
    internal IList<(string Path, string? Value)> RetiredAllowedHosts { get; } = [];

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

    /// <summary>Longest <c>description</c> a tool may have, in characters: the model reads it on every call, and
    /// OpenAI refuses function descriptions longer than 1024. Checked when a manifest loads. Default: 1024.</summary>
    public int MaxToolDescriptionLength { get; set; } = 1024;

    /// <summary>Largest total size, in UTF-8 bytes, of the tool definitions a session sends the model with every call:
    /// for each tool of the catalog, <c>{"type":"function","function":{"name","description","parameters","strict":true}}</c>
    /// with the strict-mode parameters. They take part of the context window on every call, so a manifest that would
    /// make the catalog larger is refused. Default: 32768 (about 8,000 tokens; the 13 sample tools take about 6,000 bytes).</summary>
    public int MaxToolDefinitionsBytes { get; set; } = 32 * 1024;

    /// <summary>Most tools the catalog may hold, since a session offers the model all of them: OpenAI takes at most
    /// 128 tools per call. Default: 128.</summary>
    public int MaxTools { get; set; } = 128;
}
