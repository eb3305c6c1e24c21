using System.Diagnostics.CodeAnalysis;

namespace AgentOrchestrator.Tools.Invocation;

/// <summary>The registered handlers by name; two handlers with one name are a start-up error.</summary>
internal sealed class ToolHandlerCatalog
{
    private readonly Dictionary<string, IToolHandler> _handlers = new(StringComparer.Ordinal);

    public ToolHandlerCatalog(IEnumerable<IToolHandler> handlers)
    {
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Name, handler))
            {
                throw new InvalidOperationException($"Two tool handlers are registered under the name '{handler.Name}'.");
            }
        }
    }

    public bool TryGet(string name, [NotNullWhen(true)] out IToolHandler? handler) => _handlers.TryGetValue(name, out handler);
}
