namespace AgentOrchestrator.Tools;

/// <summary>How a tool is reached: <see cref="HttpToolBinding"/> or <see cref="HandlerToolBinding"/>.</summary>
public abstract record ToolBinding;
