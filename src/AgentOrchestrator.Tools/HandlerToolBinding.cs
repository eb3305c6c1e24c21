namespace AgentOrchestrator.Tools;

/// <summary>A tool served by an in-process handler registered under <paramref name="HandlerName"/>.</summary>
/// <param name="HandlerName">The name the handler was registered with (see <c>AddToolHandler</c>).</param>
public sealed record HandlerToolBinding(string HandlerName) : ToolBinding;
