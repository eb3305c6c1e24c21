using System.Text.Json;

namespace AgentOrchestrator.Tools.Invocation;

/// <summary>A handler made from a delegate (see <c>AgentToolsBuilder.AddHandler</c>).</summary>
public sealed class DelegateToolHandler : IToolHandler
{
    private readonly Func<ToolHandlerContext, CancellationToken, Task<JsonElement>> _invoke;

    /// <summary>Creates the handler.</summary>
    /// <param name="name">The name manifests bind to.</param>
    /// <param name="isReadOnly">Whether the handler changes nothing.</param>
    /// <param name="invoke">The implementation.</param>
    public DelegateToolHandler(string name, bool isReadOnly, Func<ToolHandlerContext, CancellationToken, Task<JsonElement>> invoke)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        IsReadOnly = isReadOnly;
        _invoke = invoke ?? throw new ArgumentNullException(nameof(invoke));
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool IsReadOnly { get; }

    /// <inheritdoc />
    public Task<JsonElement> InvokeAsync(ToolHandlerContext context, CancellationToken cancellationToken) => _invoke(context, cancellationToken);
}
