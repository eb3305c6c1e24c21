namespace AgentOrchestrator.Agents.Sessions;

/// <summary>What sending a message did.</summary>
/// <param name="MessageId">The message's id (the client's, or a new one).</param>
/// <param name="Duplicate">True when a message with this id (and this text) had been sent before: nothing new starts.</param>
/// <param name="Turn">For a duplicate the session already took up, the turn it started.</param>
/// <param name="Answer">For a duplicate whose turn has finished, that turn's final text.</param>
public sealed record MessageReceipt(string MessageId, bool Duplicate, int? Turn, string? Answer);
