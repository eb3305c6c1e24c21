namespace AgentOrchestrator.Agents.Sessions;

/// <summary>A person's decision on a tool call that needs approval.</summary>
/// <param name="CallId">The model's id for the call.</param>
/// <param name="Approved">True to let the call run.</param>
/// <param name="By">Who decided (an API key id or a name).</param>
/// <param name="Reason">Optional reason, told to the model on denial.</param>
public sealed record ApprovalDecision(string CallId, bool Approved, string? By = null, string? Reason = null);
