namespace AgentOrchestrator.Tools;

/// <summary>Raised after the registry published a new catalog.</summary>
/// <param name="previous">The catalog before.</param>
/// <param name="current">The catalog now in force.</param>
public sealed class ToolCatalogChangedEventArgs(ToolCatalog previous, ToolCatalog current) : EventArgs
{
    /// <summary>The catalog before the change.</summary>
    public ToolCatalog Previous { get; } = previous;

    /// <summary>The catalog now in force.</summary>
    public ToolCatalog Current { get; } = current;
}
