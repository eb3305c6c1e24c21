namespace AgentOrchestrator.Tools.Manifests;

/// <summary>The outcome of parsing one manifest: its tools, or the problems that keep it out.</summary>
/// <param name="Source">The manifest's source name.</param>
/// <param name="Tools">The tools, when the manifest is valid; empty otherwise.</param>
/// <param name="Errors">One entry per problem; a manifest with any error is rejected whole.</param>
public sealed record ManifestParseResult(string Source, IReadOnlyList<ToolDefinition> Tools, IReadOnlyList<ManifestError> Errors)
{
    /// <summary>Whether the manifest is valid.</summary>
    public bool IsValid => Errors.Count == 0;
}
