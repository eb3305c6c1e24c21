namespace AgentOrchestrator.FakeOpenAI;

/// <summary>One message of a chat-completions request, as the fake server received it.</summary>
/// <param name="Role">system, user, assistant or tool.</param>
/// <param name="Content">The text content (text parts joined), or null when there was none.</param>
/// <param name="ToolCallId">For a tool message, the call id it answers.</param>
/// <param name="ToolCalls">For an assistant message, the function calls it made.</param>
public sealed record RecordedMessage(string Role, string? Content, string? ToolCallId, IReadOnlyList<FakeToolCall> ToolCalls);
