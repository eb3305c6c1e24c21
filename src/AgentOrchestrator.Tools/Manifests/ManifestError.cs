namespace AgentOrchestrator.Tools.Manifests;

/// <summary>One problem in a manifest: where it is and what is wrong.</summary>
/// <param name="Source">The manifest file (relative to the manifest folder) or runtime source name.</param>
/// <param name="Pointer">JSON pointer to the offending value; empty for the whole document.</param>
/// <param name="Message">What is wrong, and where possible how to fix it.</param>
/// <param name="Line">1-based line of the offending value, when known.</param>
public sealed record ManifestError(string Source, string Pointer, string Message, int? Line = null)
{
    /// <summary>Formats the error as <c>crm.json: /tools/0/name: reason</c>.</summary>
    public override string ToString() =>
        $"{Source}{(Line is { } line ? $" (line {line})" : string.Empty)}: {(Pointer.Length == 0 ? "(root)" : Pointer)}: {Message}";
}
