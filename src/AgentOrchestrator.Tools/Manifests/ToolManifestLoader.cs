using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>
/// Loads the manifests of a folder into a <see cref="ToolRegistry"/>: every <c>*.json</c> file except
/// <c>*.schema.json</c>, named by its file name. Each scan hands the registry only the files that were added,
/// changed or deleted since the previous scan, so an unchanged file is never re-checked and a broken edit
/// leaves the last good version in force.
/// </summary>
public sealed class ToolManifestLoader
{
    private readonly ToolRegistry _registry;
    private readonly ILogger _logger;
    private readonly Dictionary<string, string> _seen = new(StringComparer.Ordinal);

    /// <summary>Creates a loader for <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry the manifests go to.</param>
    /// <param name="logger">Receives unreadable files.</param>
    public ToolManifestLoader(ToolRegistry registry, ILogger<ToolManifestLoader>? logger = null)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Scans <paramref name="folder"/> and applies what changed since the previous scan.</summary>
    /// <param name="folder">The manifest folder.</param>
    /// <returns>What the registry accepted and rejected; <see cref="ToolRegistrationResult.Accepted"/> is empty
    /// when nothing changed.</returns>
    public ToolRegistrationResult LoadFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The tool manifest folder '{Path.GetFullPath(folder)}' does not exist (AgentTools:ManifestsPath).");
        }

        // Serialized with ToolRegistry.PublishAsync, which changes the registry and then the file.
        _registry.PublishGate.Wait();
        try
        {
            return Scan(folder);
        }
        finally
        {
            _registry.PublishGate.Release();
        }
    }

    private ToolRegistrationResult Scan(string folder)
    {
        var changes = new List<ManifestChange>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var source = Path.GetFileName(path);
            if (source.EndsWith(".schema.json", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            present.Add(source);
            string text;
            try
            {
                text = File.ReadAllText(path, Encoding.UTF8);
            }
            catch (IOException ex)
            {
                ToolsLog.ManifestUnreadable(_logger, source, ex);
                continue;
            }
            catch (UnauthorizedAccessException ex)
            {
                ToolsLog.ManifestUnreadable(_logger, source, ex);
                continue;
            }

            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            if (_seen.TryGetValue(source, out var previous) && previous == hash)
            {
                continue;
            }

            _seen[source] = hash;
            changes.Add(new ManifestChange(source, text));
        }

        foreach (var gone in _seen.Keys.Where(s => !present.Contains(s)).ToList())
        {
            _seen.Remove(gone);
            changes.Add(new ManifestChange(gone, null));
        }

        return changes.Count == 0
            ? new ToolRegistrationResult(_registry.Current.Version, [], [])
            : _registry.Apply(changes);
    }
}
