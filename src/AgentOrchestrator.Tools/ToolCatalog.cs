using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace AgentOrchestrator.Tools;

/// <summary>
/// An immutable snapshot of the registered tools with a version number. A session keeps the catalog it
/// started with, so a manifest change never alters a running session's tools.
/// </summary>
public sealed class ToolCatalog
{
    private readonly FrozenDictionary<string, ToolDefinition> _byName;

    internal ToolCatalog(long version, IEnumerable<ToolDefinition> tools)
    {
        Version = version;
        _byName = tools.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
        Tools = [.. _byName.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    /// <summary>The catalog with no tools, version 0.</summary>
    public static ToolCatalog Empty { get; } = new(0, []);

    /// <summary>The catalog version; it grows by one with every change to the set of tools.</summary>
    public long Version { get; }

    /// <summary>The tools, ordered by name.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; }

    /// <summary>The number of tools.</summary>
    public int Count => _byName.Count;

    /// <summary>Looks a tool up by the name the model uses.</summary>
    /// <param name="name">Tool name.</param>
    /// <param name="tool">The tool, when found.</param>
    public bool TryGet(string name, [NotNullWhen(true)] out ToolDefinition? tool) => _byName.TryGetValue(name, out tool);

    /// <summary>The tool error to give the model when it names a tool this catalog does not hold, listing the
    /// tools it may call so it can repair the call.</summary>
    /// <param name="name">The name the model used.</param>
    public string DescribeUnknownTool(string name) => Count == 0
        ? $"there is no tool named '{name}'; no tools are available"
        : $"there is no tool named '{name}'; the available tools are: {string.Join(", ", Tools.Select(t => t.Name))}";

    /// <summary>Returns the tool named <paramref name="name"/>, or throws <see cref="KeyNotFoundException"/>.</summary>
    /// <param name="name">Tool name.</param>
    public ToolDefinition Get(string name) => TryGet(name, out var tool)
        ? tool
        : throw new KeyNotFoundException($"No tool named '{name}' in tool catalog version {Version}.");
}
