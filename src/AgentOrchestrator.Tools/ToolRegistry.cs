using System.Diagnostics.CodeAnalysis;
using AgentOrchestrator.Tools.Manifests;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Tools;

/// <summary>
/// The registered tools. Manifests come from the folder loader, from <see cref="PublishAsync"/> (the runtime
/// integrator API, persisted to the manifest folder) or from <see cref="Register"/> (in memory only); each
/// accepted change publishes a new immutable <see cref="ToolCatalog"/> with a higher version, and a
/// rejected change leaves the previous version of its manifest in force. Every tool version ever
/// published stays reachable by name and version, so a session keeps the tools it started with.
/// </summary>
public sealed partial class ToolRegistry
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _publishGate = new(1, 1);
    private readonly ToolManifestParser _parser;
    private readonly ILogger _logger;
    private readonly Dictionary<string, IReadOnlyList<ToolDefinition>> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ToolDefinition> _history = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ManifestError>> _problems = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private volatile ToolCatalog _current = ToolCatalog.Empty;

    /// <summary>Creates an empty registry.</summary>
    /// <param name="parser">Parses and checks single manifests.</param>
    /// <param name="logger">Receives catalog changes and rejections.</param>
    /// <param name="options">Names the manifest folder <see cref="PublishAsync"/> persists to; without it, or with an
    /// empty <see cref="AgentToolsOptions.ManifestsPath"/>, manifests can only be registered in memory.</param>
    /// <param name="environment">Resolves a relative manifest folder against the content root, when available.</param>
    public ToolRegistry(ToolManifestParser parser, ILogger<ToolRegistry>? logger = null, IOptions<AgentToolsOptions>? options = null, IHostEnvironment? environment = null)
    {
        _parser = parser ?? throw new ArgumentNullException(nameof(parser));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        ManifestsFolder = options?.Value.ResolveManifestsFolder(environment?.ContentRootPath);
    }

    /// <summary>The folder <see cref="PublishAsync"/> writes manifests to (the one the folder loader reads), or
    /// <see langword="null"/> when folder loading is off.</summary>
    public string? ManifestsFolder { get; }

    /// <summary>Raised after a new catalog is published.</summary>
    public event EventHandler<ToolCatalogChangedEventArgs>? CatalogChanged;

    /// <summary>Raised after changes were rejected.</summary>
    public event EventHandler<ManifestsRejectedEventArgs>? ManifestsRejected;

    /// <summary>The catalog in force. Take it once per session and keep it.</summary>
    public ToolCatalog Current => _current;

    /// <summary>The problems of the latest rejected change of every manifest whose latest change was rejected.</summary>
    public IReadOnlyList<ManifestError> Problems
    {
        get
        {
            lock (_gate)
            {
                return [.. _problems.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value)];
            }
        }
    }

    /// <summary>Finds a tool version published at any time since start, e.g. the one a resumed session used.</summary>
    /// <param name="name">Tool name.</param>
    /// <param name="version">Tool version.</param>
    /// <param name="tool">The definition, when found.</param>
    public bool TryGetTool(string name, string version, [NotNullWhen(true)] out ToolDefinition? tool)
    {
        lock (_gate)
        {
            return _history.TryGetValue($"{name}@{version}", out tool);
        }
    }

    /// <summary>The text of the manifest of <paramref name="source"/> in force, e.g. for an integrator to edit and publish again.</summary>
    /// <param name="source">The manifest's source name, e.g. <c>crm.json</c>.</param>
    /// <param name="manifestJson">The manifest text, when the source has one in force.</param>
    public bool TryGetManifest(string source, [NotNullWhen(true)] out string? manifestJson)
    {
        lock (_gate)
        {
            return _texts.TryGetValue(source, out manifestJson);
        }
    }

    /// <summary>Registers or replaces the manifest of <paramref name="source"/> in memory only: it is gone after a
    /// restart. Integrators' manifests go through <see cref="PublishAsync"/>, which also persists them. A refused
    /// manifest changes nothing: neither the catalog nor <see cref="Problems"/>; its errors are in the result.</summary>
    /// <param name="manifestJson">The manifest text.</param>
    /// <param name="source">A stable name for the manifest, e.g. <c>runtime:acme-crm</c>.</param>
    /// <returns>The new catalog version, or the errors that kept the manifest out.</returns>
    public ToolRegistrationResult Register(string manifestJson, string source)
    {
        ArgumentNullException.ThrowIfNull(manifestJson);
        return Apply([new ManifestChange(source, manifestJson)], recordProblems: false);
    }

    /// <summary>Removes the manifest of <paramref name="source"/> and its tools, unless another manifest's
    /// compensation still needs them. A refused removal changes nothing.</summary>
    /// <param name="source">The manifest's source name.</param>
    /// <returns>The catalog version afterwards, why the manifest stays, or <see cref="ToolRegistrationResult.IsNotFound"/>
    /// when no manifest of that name is registered.</returns>
    public ToolRegistrationResult Remove(string source)
    {
        lock (_gate)
        {
            if (!_sources.ContainsKey(source) && !_problems.ContainsKey(source))
            {
                return ToolRegistrationResult.NotFound(_current.Version, source, $"no manifest '{source}' is registered");
            }
        }

        return Apply([new ManifestChange(source, null)], recordProblems: false);
    }

    /// <summary>Applies several manifest changes at once (e.g. a folder scan): each change is accepted or
    /// rejected on its own, and all accepted ones are published as one new catalog. The errors of a rejected
    /// change are kept in <see cref="Problems"/> until that source changes again: the folder holds a broken file.</summary>
    /// <param name="changes">The changes; the last one per source counts.</param>
    public ToolRegistrationResult Apply(IEnumerable<ManifestChange> changes) => Apply(changes, recordProblems: true);

    /// <summary>Applies changes; <paramref name="recordProblems"/> is false for a registration whose caller gets the
    /// errors back, so a refused request leaves <see cref="Problems"/> as it was.</summary>
    internal ToolRegistrationResult Apply(IEnumerable<ManifestChange> changes, bool recordProblems)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ToolCatalog previous, current;
        List<ManifestError> errors;
        List<string> accepted;
        lock (_gate)
        {
            previous = _current;
            (accepted, errors) = ApplyLocked(changes.GroupBy(c => c.Source).Select(g => g.Last()).OrderBy(c => c.Source, StringComparer.Ordinal), recordProblems);
            current = _current;
        }

        foreach (var error in errors)
        {
            ToolsLog.ManifestRejected(_logger, error.ToString());
        }

        if (errors.Count > 0)
        {
            ManifestsRejected?.Invoke(this, new ManifestsRejectedEventArgs(errors));
        }

        if (!ReferenceEquals(previous, current))
        {
            ToolsLog.CatalogPublished(_logger, current.Version, current.Count, string.Join(", ", accepted));
            CatalogChanged?.Invoke(this, new ToolCatalogChangedEventArgs(previous, current));
        }

        return new ToolRegistrationResult(current.Version, accepted, errors);
    }

    private (List<string> Accepted, List<ManifestError> Errors) ApplyLocked(IEnumerable<ManifestChange> changes, bool recordProblems)
    {
        var errors = new List<ManifestError>();
        var pending = new Dictionary<string, IReadOnlyList<ToolDefinition>?>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var rejected = new Dictionary<string, List<ManifestError>>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (change.Json is null)
            {
                pending[change.Source] = null;
                continue;
            }

            var parsed = _parser.Parse(change.Json, change.Source);
            if (parsed.IsValid)
            {
                pending[change.Source] = parsed.Tools;
                texts[change.Source] = change.Json;
            }
            else
            {
                rejected[change.Source] = [.. parsed.Errors];
            }
        }

        while (true)
        {
            var candidate = new Dictionary<string, IReadOnlyList<ToolDefinition>>(_sources, StringComparer.Ordinal);
            foreach (var (source, tools) in pending)
            {
                if (tools is null)
                {
                    candidate.Remove(source);
                }
                else
                {
                    candidate[source] = tools;
                }
            }

            var issues = CatalogConsistency.Check(candidate, pending.Keys.ToHashSet(StringComparer.Ordinal), _history);
            if (issues.Count == 0)
            {
                issues = CatalogLimits.Check(candidate, pending, _sources, _parser.Options);
            }

            if (issues.Count == 0 || pending.Count == 0)
            {
                break;
            }

            var own = issues.Where(i => pending.ContainsKey(i.Source)).ToList();
            var culprits = own.Count > 0
                ? own.GroupBy(i => i.Source).ToDictionary(g => g.Key, g => g.ToList())
                : BlameChangesFor(issues, pending);
            foreach (var (source, sourceErrors) in culprits)
            {
                pending.Remove(source);
                rejected[source] = sourceErrors;
            }
        }

        Commit(pending);
        foreach (var source in pending.Keys)
        {
            _problems.Remove(source);
            if (texts.TryGetValue(source, out var text))
            {
                _texts[source] = text;
            }
            else
            {
                _texts.Remove(source);
            }
        }

        foreach (var (source, sourceErrors) in rejected)
        {
            if (recordProblems)
            {
                _problems[source] = sourceErrors;
            }

            errors.AddRange(sourceErrors);
        }

        return ([.. pending.Keys], errors);
    }

    private Dictionary<string, List<ManifestError>> BlameChangesFor(List<ManifestError> issues, Dictionary<string, IReadOnlyList<ToolDefinition>?> pending)
    {
        // An unchanged manifest broke: some change removed or altered a tool its compensation needs.
        var blamed = new Dictionary<string, List<ManifestError>>(StringComparer.Ordinal);
        var needed = issues.SelectMany(i => CatalogConsistency.Dependencies(_sources.GetValueOrDefault(i.Source) ?? [])).ToHashSet(StringComparer.Ordinal);
        foreach (var (source, tools) in pending)
        {
            var before = _sources.GetValueOrDefault(source) ?? [];
            var touched = before.Where(t => needed.Contains(t.Name) && tools?.FirstOrDefault(n => n.Name == t.Name)?.Fingerprint != t.Fingerprint);
            if (touched.Any() || needed.Count == 0)
            {
                blamed[source] = [.. issues.Select(i => new ManifestError(source, string.Empty, $"change rejected because it would break {i}"))];
            }
        }

        if (blamed.Count == 0)
        {
            foreach (var source in pending.Keys)
            {
                blamed[source] = [.. issues.Select(i => new ManifestError(source, string.Empty, $"change rejected because it would break {i}"))];
            }
        }

        return blamed;
    }

    private void Commit(Dictionary<string, IReadOnlyList<ToolDefinition>?> pending)
    {
        var before = _sources.Values.SelectMany(t => t).Select(t => t.Fingerprint + t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (source, tools) in pending)
        {
            if (tools is null)
            {
                _sources.Remove(source);
            }
            else
            {
                _sources[source] = tools;
            }
        }

        var all = _sources.Values.SelectMany(t => t).ToList();
        if (before.SetEquals(all.Select(t => t.Fingerprint + t.Name)))
        {
            return;
        }

        foreach (var tool in all)
        {
            _history.TryAdd(tool.Id, tool);
        }

        _current = new ToolCatalog(_current.Version + 1, all);
    }
}
