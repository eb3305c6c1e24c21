using AgentOrchestrator.Tools.Schemas;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>Checks that span manifests: unique tool names, versions that are not reused for other content,
/// and compensations that name a real tool with arguments it accepts.</summary>
internal static class CatalogConsistency
{
    /// <summary>Returns the problems of a candidate set of manifests, each attributed to the manifest it is in.
    /// Unchanged manifests own their names; a changed manifest that collides with them is the one at fault.</summary>
    public static List<ManifestError> Check(
        IReadOnlyDictionary<string, IReadOnlyList<ToolDefinition>> candidate,
        IReadOnlySet<string> changed,
        IReadOnlyDictionary<string, ToolDefinition> history)
    {
        var issues = new List<ManifestError>();
        var owners = new Dictionary<string, ToolDefinition>(StringComparer.Ordinal);
        var ordered = candidate.Keys
            .OrderBy(s => changed.Contains(s) ? 1 : 0)
            .ThenBy(s => s, StringComparer.Ordinal);
        foreach (var source in ordered)
        {
            foreach (var tool in candidate[source])
            {
                if (owners.TryGetValue(tool.Name, out var owner))
                {
                    issues.Add(new(source, tool.ManifestPointer + "/name", $"tool '{tool.Name}' is already declared by {owner.Source} ({owner.ManifestPointer}); tool names must be unique"));
                    continue;
                }

                owners[tool.Name] = tool;
                if (changed.Contains(source) && history.TryGetValue(tool.Id, out var earlier) && earlier.Fingerprint != tool.Fingerprint)
                {
                    issues.Add(new(source, tool.ManifestPointer + "/version",
                        $"version {tool.Version} of '{tool.Name}' is already registered with different content; running sessions rely on it, so give the changed tool a new version"));
                }
            }
        }

        foreach (var tool in owners.Values)
        {
            if (tool.Saga?.Compensation is { } compensation)
            {
                CheckCompensation(tool, compensation, owners, issues);
            }
        }

        return issues;
    }

    private static void CheckCompensation(ToolDefinition tool, CompensationTemplate compensation, Dictionary<string, ToolDefinition> owners, List<ManifestError> issues)
    {
        var pointer = tool.ManifestPointer + "/saga/compensation";
        if (!owners.TryGetValue(compensation.ToolName, out var target))
        {
            issues.Add(new(tool.Source, pointer + "/tool", $"unknown tool '{compensation.ToolName}': no manifest declares it"));
            return;
        }

        if (target.Effects.ReadOnly)
        {
            issues.Add(new(tool.Source, pointer + "/tool", $"tool '{target.Name}' is read-only, so it cannot undo anything"));
            return;
        }

        var parameters = new ParameterInfo(target.Parameters);
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var argument in compensation.Arguments.EnumerateObject())
        {
            given.Add(argument.Name);
            if (!parameters.Has(argument.Name))
            {
                issues.Add(new(tool.Source, $"{pointer}/arguments{JsonPointers.Format([argument.Name])}",
                    $"'{argument.Name}' is not a parameter of '{target.Name}' (parameters: {parameters.Describe()})"));
            }
        }

        var missing = parameters.Required.Where(r => !given.Contains(r)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            issues.Add(new(tool.Source, pointer + "/arguments", $"misses required argument{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing.Select(m => $"'{m}'"))} of '{target.Name}'"));
        }
    }

    /// <summary>Names of the tools a manifest's compensations depend on.</summary>
    public static IEnumerable<string> Dependencies(IEnumerable<ToolDefinition> tools) =>
        tools.Select(t => t.Saga?.Compensation?.ToolName).OfType<string>();
}
