using AgentOrchestrator.Tools.Manifests;

namespace AgentOrchestrator.Tools;

/// <summary>The outcome of registering, changing or removing manifests.</summary>
/// <param name="CatalogVersion">The catalog version in force afterwards.</param>
/// <param name="Accepted">Sources whose change took effect.</param>
/// <param name="Errors">One entry per problem in a rejected change; the previous version of a rejected source stays in force.</param>
public sealed record ToolRegistrationResult(long CatalogVersion, IReadOnlyList<string> Accepted, IReadOnlyList<ManifestError> Errors)
{
    /// <summary>Whether every change took effect.</summary>
    public bool Succeeded => Errors.Count == 0;

    /// <summary>Whether the change named a manifest that is not registered (removing an unknown manifest): nothing
    /// was refused, there was nothing to change. <see cref="Errors"/> then holds one entry saying so.</summary>
    public bool IsNotFound { get; init; }

    /// <summary>The result of a change that names no registered manifest.</summary>
    /// <param name="catalogVersion">The catalog version in force, unchanged.</param>
    /// <param name="source">The source name that was not found.</param>
    /// <param name="message">What was not found.</param>
    public static ToolRegistrationResult NotFound(long catalogVersion, string source, string message) =>
        new(catalogVersion, [], [new ManifestError(source, string.Empty, message)]) { IsNotFound = true };
}
