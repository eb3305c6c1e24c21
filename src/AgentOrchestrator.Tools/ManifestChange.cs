namespace AgentOrchestrator.Tools;

/// <summary>A new or changed manifest (<see cref="Json"/> set) or a removed one (<see cref="Json"/> null).</summary>
/// <param name="Source">The manifest's source name, e.g. <c>crm.json</c>.</param>
/// <param name="Json">The manifest text, or <see langword="null"/> when the manifest is gone.</param>
public sealed record ManifestChange(string Source, string? Json);
