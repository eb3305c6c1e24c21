namespace AgentOrchestrator.Agents.Sessions;

/// <summary>One thing a session's inbox hands to the orchestration: a user message, a staff action, or an end request.</summary>
/// <param name="Message">A user message.</param>
/// <param name="Action">A staff action on a parked chain.</param>
/// <param name="End">True for a request to end the session.</param>
internal sealed record InboxItem(UserMessage? Message, ChainAction? Action, bool End);
