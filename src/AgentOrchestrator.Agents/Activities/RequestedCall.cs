namespace AgentOrchestrator.Agents.Activities;

/// <summary>A tool call as the model asked for it.</summary>
/// <param name="CallId">The model's id for the call.</param>
/// <param name="Name">The tool name the model used.</param>
/// <param name="Arguments">The arguments as JSON text.</param>
public sealed record RequestedCall(string CallId, string Name, string Arguments);
