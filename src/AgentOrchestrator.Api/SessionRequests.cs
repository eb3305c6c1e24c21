namespace AgentOrchestrator.Api;

/// <summary>Body of <c>POST /v1/sessions</c>.</summary>
/// <param name="Message">An optional first message.</param>
public sealed record StartSessionRequest(string? Message);

/// <summary>Body of <c>POST /v1/sessions/{id}/messages</c>.</summary>
/// <param name="Text">The message.</param>
/// <param name="MessageId">Optional client id: a resend with the same id is delivered once.</param>
public sealed record SendMessageRequest(string? Text, string? MessageId);

/// <summary>Body of <c>POST /v1/sessions/{id}/approvals/{callId}</c>.</summary>
/// <param name="Approved">True to let the call run.</param>
/// <param name="Reason">Optional reason, told to the model on denial.</param>
public sealed record ApprovalRequest(bool? Approved, string? Reason);

/// <summary>Body of <c>POST /v1/sessions/{id}/cancel</c> and of staff chain actions.</summary>
/// <param name="Reason">Optional reason or note.</param>
public sealed record ReasonRequest(string? Reason);
