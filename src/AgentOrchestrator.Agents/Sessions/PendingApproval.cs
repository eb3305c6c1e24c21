namespace AgentOrchestrator.Agents.Sessions;

/// <summary>A tool call waiting for a person.</summary>
/// <param name="CallId">The model's id for the call; approve or deny with it.</param>
/// <param name="Tool">The tool's name.</param>
/// <param name="Arguments">The call's arguments as JSON.</param>
/// <param name="Reason">Why approval is needed (from the manifest).</param>
/// <param name="ExpiresAt">When the call is denied for lack of an answer.</param>
public sealed record PendingApproval(string CallId, string Tool, string Arguments, string? Reason, DateTimeOffset ExpiresAt);
