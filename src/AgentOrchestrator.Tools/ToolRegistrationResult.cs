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
}
