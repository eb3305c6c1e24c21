namespace AgentOrchestrator.Agents.Sessions;

/// <summary>A message from the user that starts a turn.</summary>
/// <param name="MessageId">Unique per session; a repeated id is delivered once.</param>
/// <param name="Text">What the user wrote.</param>
public sealed record UserMessage(string MessageId, string Text);
