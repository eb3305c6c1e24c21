namespace AgentOrchestrator.Agents.Sessions;

/// <summary>A message reused a message id with different text: nothing was sent.</summary>
public sealed class MessageIdReusedException(string sessionId, string messageId)
    : InvalidOperationException($"Session '{sessionId}' already received message '{messageId}' with different text; use a new messageId for a new message.")
{
    /// <summary>The reused id.</summary>
    public string MessageId { get; } = messageId;
}
