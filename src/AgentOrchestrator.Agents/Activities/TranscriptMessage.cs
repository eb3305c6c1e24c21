namespace AgentOrchestrator.Agents.Activities;

/// <summary>One message of a session's transcript, as kept in its event log (kind <c>transcript</c>).</summary>
/// <param name="Role"><c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
/// <param name="Text">The text; for a tool message, what the model is told about the call.</param>
/// <param name="ToolCalls">For an assistant message, the calls it asked for.</param>
/// <param name="CallId">For a tool message, the call it answers.</param>
/// <param name="Turn">The turn it belongs to.</param>
/// <param name="Step">For an assistant message, the model step that produced it.</param>
/// <param name="Result">For an assistant message, the checked answer the step returned: a repeated step returns it again.</param>
public sealed record TranscriptMessage(
    string Role, string? Text, IReadOnlyList<RequestedCall>? ToolCalls = null, string? CallId = null, int Turn = 0, int Step = 0, ModelCallResult? Result = null);
