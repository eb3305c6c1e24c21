using AgentOrchestrator.Tools.Manifests;

namespace AgentOrchestrator.Tools;

/// <summary>Raised after the registry rejected manifest changes; the previous versions stay in force.</summary>
/// <param name="errors">One entry per problem.</param>
public sealed class ManifestsRejectedEventArgs(IReadOnlyList<ManifestError> errors) : EventArgs
{
    /// <summary>One entry per problem.</summary>
    public IReadOnlyList<ManifestError> Errors { get; } = errors;
}
