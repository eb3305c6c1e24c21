using System.Text;
using System.Text.RegularExpressions;
using AgentOrchestrator.Tools.Manifests;

namespace AgentOrchestrator.Tools;

/// <content>The runtime integrator API: publish and unpublish manifests, validated, versioned and persisted.</content>
public sealed partial class ToolRegistry
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Registers or updates the manifest <paramref name="name"/> at run time and persists it as
    /// <c>{name}.json</c> in <see cref="ManifestsFolder"/>, so it is loaded again after a restart. The manifest
    /// passes the same checks as a file (one error per problem), and a changed tool needs a new version. A
    /// rejected manifest writes nothing and leaves the version in force untouched. Publishing <c>crm</c>
    /// updates <c>crm.json</c>. Publishes are serialized; the folder watcher seeing the new file changes nothing.
    /// </summary>
    /// <param name="name">The manifest's name: lower-case letters, digits, <c>_</c> and <c>-</c>, at most 64 characters.</param>
    /// <param name="manifestJson">The manifest text.</param>
    /// <param name="cancellationToken">Abandons the publish before it takes effect.</param>
    /// <returns>The catalog version in force afterwards, or the errors that kept the manifest out.</returns>
    /// <exception cref="InvalidOperationException">Folder loading is off (<see cref="AgentToolsOptions.ManifestsPath"/> is empty).</exception>
    /// <exception cref="IOException">The manifest could not be written; the registry is back to the version before.</exception>
    public async Task<ToolRegistrationResult> PublishAsync(string name, string manifestJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifestJson);
        var folder = RequireFolder();
        if (RefuseName(name) is { } refused)
        {
            return refused;
        }

        var source = name + ".json";
        await _publishGate.WaitAsync(cancellationToken);
        try
        {
            // Write a temp file first (the loader ignores it): the only step after the registry accepts is a rename.
            var temp = Path.Combine(folder, $".{source}.{Guid.NewGuid():N}.tmp");
            try
            {
                await File.WriteAllTextAsync(temp, manifestJson, Utf8, cancellationToken);
                TryGetManifest(source, out var previous);
                var result = Apply([new ManifestChange(source, manifestJson)], recordProblems: false);
                if (result.Succeeded)
                {
                    Persist(source, previous, () => File.Move(temp, Path.Combine(folder, source), overwrite: true));
                }

                return result;
            }
            finally
            {
                File.Delete(temp);
            }
        }
        finally
        {
            _publishGate.Release();
        }
    }

    /// <summary>Removes the manifest <paramref name="name"/> and its tools and deletes <c>{name}.json</c> from
    /// <see cref="ManifestsFolder"/>, unless another manifest's compensation still needs one of its tools.
    /// Sessions that started with its tools keep them.</summary>
    /// <param name="name">The manifest's name, as given to <see cref="PublishAsync"/>.</param>
    /// <param name="cancellationToken">Abandons the removal before it takes effect.</param>
    /// <returns>The catalog version in force afterwards, or why the manifest stays.</returns>
    /// <exception cref="InvalidOperationException">Folder loading is off.</exception>
    /// <exception cref="IOException">The file could not be deleted; the registry is back to the version before.</exception>
    public async Task<ToolRegistrationResult> UnpublishAsync(string name, CancellationToken cancellationToken = default)
    {
        var folder = RequireFolder();
        if (RefuseName(name) is { } refused)
        {
            return refused;
        }

        var source = name + ".json";
        var path = Path.Combine(folder, source);
        await _publishGate.WaitAsync(cancellationToken);
        try
        {
            if (!TryGetManifest(source, out var previous) && !File.Exists(path))
            {
                return ToolRegistrationResult.NotFound(Current.Version, source, $"no manifest named '{name}' is registered");
            }

            var result = Apply([new ManifestChange(source, null)], recordProblems: false);
            if (result.Succeeded)
            {
                Persist(source, previous, () => File.Delete(path));
            }

            return result;
        }
        finally
        {
            _publishGate.Release();
        }
    }

    /// <summary>Held while a publish changes the registry and the folder together; the folder loader takes it
    /// too, so a scan never reads a file that is about to be replaced and puts the older text back.</summary>
    internal SemaphoreSlim PublishGate => _publishGate;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ManifestName();

    private string RequireFolder() => ManifestsFolder
        ?? throw new InvalidOperationException(
            "Runtime manifests are persisted to the manifest folder, and AgentTools:ManifestsPath is empty. Set it, or use Register for an in-memory manifest.");

    private ToolRegistrationResult? RefuseName(string name) =>
        name is not null && ManifestName().IsMatch(name)
            ? null
            : new(Current.Version, [], [new ManifestError(name ?? "(null)", string.Empty,
                "is not a manifest name: use 1 to 64 lower-case letters, digits, '_' or '-', starting with a letter or digit (it becomes the file name)")]);

    /// <summary>Runs the file step of an accepted change; when it fails, puts the previous manifest back in force.</summary>
    private void Persist(string source, string? previous, Action fileStep)
    {
        try
        {
            fileStep();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Apply([new ManifestChange(source, previous)], recordProblems: false);
            ToolsLog.PersistFailed(_logger, source, ex);
            throw new IOException($"The manifest {source} could not be persisted to {ManifestsFolder}; the previous version stays in force.", ex);
        }
    }
}
