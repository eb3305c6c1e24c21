using System.Globalization;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>
/// Limits on the whole catalog, which a session offers the model on every call: how many tools
/// (<see cref="AgentToolsOptions.MaxTools"/>) and how many bytes their definitions take
/// (<see cref="AgentToolsOptions.MaxToolDefinitionsBytes"/>). The changes that make the catalog larger are taken in
/// source order, each on top of those before it; the first that does not fit is refused at its <c>/tools</c>, with
/// the limit named, and the registry asks again without it. A change that makes the catalog smaller is never refused.
/// </summary>
internal static class CatalogLimits
{
    public static List<ManifestError> Check(
        IReadOnlyDictionary<string, IReadOnlyList<ToolDefinition>> candidate,
        IReadOnlyDictionary<string, IReadOnlyList<ToolDefinition>?> pending,
        IReadOnlyDictionary<string, IReadOnlyList<ToolDefinition>> before,
        AgentToolsOptions limits)
    {
        var growing = pending
            .Where(p => p.Value is { } changed && (Bytes(changed) > Bytes(Before(p.Key)) || changed.Count > Before(p.Key).Count))
            .Select(p => p.Key)
            .Order(StringComparer.Ordinal)
            .ToList();

        // The catalog without the growing changes (their sources as they were), then each added in turn.
        var tools = candidate.Where(c => !growing.Contains(c.Key)).Sum(c => c.Value.Count) + growing.Sum(s => Before(s).Count);
        var bytes = candidate.Where(c => !growing.Contains(c.Key)).Sum(c => Bytes(c.Value)) + growing.Sum(s => Bytes(Before(s)));
        foreach (var source in growing)
        {
            var own = candidate[source];
            tools += own.Count - Before(source).Count;
            bytes += Bytes(own) - Bytes(Before(source));
            if (tools > limits.MaxTools)
            {
                return [new ManifestError(source, "/tools",
                    $"would make {tools} tools in the catalog, more than AgentTools:MaxTools ({limits.MaxTools}), and a session offers the model all of them on every call")];
            }

            if (bytes > limits.MaxToolDefinitionsBytes)
            {
                var largest = own.MaxBy(t => t.ModelDefinitionBytes)!;
                return [new ManifestError(source, "/tools",
                    $"would make the tool definitions the model is given on every call {N(bytes)} bytes, more than AgentTools:MaxToolDefinitionsBytes "
                    + $"({N(limits.MaxToolDefinitionsBytes)}); this manifest's {own.Count} tools take {N(Bytes(own))} bytes, "
                    + $"the largest {largest.ManifestPointer} ({largest.Name}) {N(largest.ModelDefinitionBytes)}")];
            }
        }

        return [];

        IReadOnlyList<ToolDefinition> Before(string source) => before.GetValueOrDefault(source) ?? [];
    }

    private static long Bytes(IReadOnlyList<ToolDefinition> tools) => tools.Sum(t => (long)t.ModelDefinitionBytes);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
