namespace AgentOrchestrator.Agents.Model;

/// <summary>A tool call the scripted model makes.</summary>
/// <param name="Name">The tool name.</param>
/// <param name="ArgumentsJson">The arguments as a JSON object.</param>
public sealed record ScriptedToolCall(string Name, string ArgumentsJson);
