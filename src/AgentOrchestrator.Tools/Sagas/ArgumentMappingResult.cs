using System.Text.Json;

namespace AgentOrchestrator.Tools.Sagas;

/// <summary>The outcome of <see cref="ArgumentMapping.Apply"/>.</summary>
/// <param name="Value">The JSON built from the template.</param>
/// <param name="MissingPaths">Paths in the template that named nothing in the context.</param>
public sealed record ArgumentMappingResult(JsonElement Value, IReadOnlyList<string> MissingPaths);
