namespace AgentOrchestrator.Agents.Sessions;

/// <summary>
/// The kinds of events in a session's event log (streamed over SSE and shown on the support timeline).
/// Each event's data is a JSON object with camelCase fields; every event has <c>turn</c>.
/// </summary>
public static class SessionEventKinds
{
    /// <summary>A user message was received (before the session takes it up): <c>messageId, textSha256</c>.</summary>
    public const string MessageReceived = "message.received";

    /// <summary>A user message started a turn: <c>turn, messageId, text</c>.</summary>
    public const string TurnStarted = "turn.started";

    /// <summary>A piece of the model's streamed answer: <c>turn, step, text</c>. Repeated if a model call is retried.</summary>
    public const string ModelDelta = "model.delta";

    /// <summary>A model call finished: <c>turn, step, deployment, inputTokens, outputTokens, cost, latencyMs, attempts, text, toolCalls[{callId, tool}]</c>.</summary>
    public const string ModelCompleted = "model.completed";

    /// <summary>A model call failed for good: <c>turn, step, error</c>.</summary>
    public const string ModelFailed = "model.failed";

    /// <summary>The model asked for a tool: <c>turn, step, callId, tool, version, arguments, valid, needsApproval</c>
    /// (written with the model's answer, before anything runs).</summary>
    public const string ToolRequested = "tool.requested";

    /// <summary>What the turn has used so far, after each model call: <c>turn, step, turnInputTokens, turnOutputTokens,
    /// turnCost</c> (the call's own usage is on <see cref="ModelCompleted"/>).</summary>
    public const string Usage = "usage";

    /// <summary>A requested call was refused before running (unknown tool, invalid arguments, guard): <c>turn, callId, tool, errors[]</c>; the errors went back to the model.</summary>
    public const string ToolRejected = "tool.rejected";

    /// <summary>A call waits for a person: <c>turn, callId, tool, arguments, reason, expiresAt</c>.</summary>
    public const string ApprovalNeeded = "approval.needed";

    /// <summary>An approval was decided: <c>turn, callId, approved, by, reason</c> (<c>by</c> is <c>timeout</c> when it expired).</summary>
    public const string ApprovalDecided = "approval.decided";

    /// <summary>
    /// A tool call attempt was handed to a worker (written with the checkpoint that schedules it):
    /// <c>turn, callId, tool, idempotencyKey, attempt, arguments</c>.
    /// </summary>
    public const string ToolStarted = "tool.started";

    /// <summary>
    /// The service answered that an earlier attempt with the same idempotency key is still in progress: <c>turn, callId,
    /// tool, idempotencyKey, attempt, retryAfterMs</c>. The call waits and asks again without spending an attempt.
    /// </summary>
    public const string ToolWaiting = "tool.waiting";

    /// <summary>A tool call succeeded: <c>turn, callId, tool, idempotencyKey, result, latencyMs, attempts</c>.</summary>
    public const string ToolCompleted = "tool.completed";

    /// <summary>A tool call failed for good: <c>turn, callId, tool, idempotencyKey, error, code, attempts</c>.</summary>
    public const string ToolFailed = "tool.failed";

    /// <summary>A compensation started: <c>turn, callId, tool, compensationTool, idempotencyKey, arguments, reason</c>.</summary>
    public const string CompensationStarted = "compensation.started";

    /// <summary>A compensation succeeded: <c>turn, callId, tool, compensationTool, idempotencyKey, result</c>.</summary>
    public const string CompensationCompleted = "compensation.completed";

    /// <summary>A compensation failed for good: <c>turn, callId, tool, compensationTool, idempotencyKey, error</c>.</summary>
    public const string CompensationFailed = "compensation.failed";

    /// <summary>A compensation waits for the service's earlier attempt with the same key: as <see cref="ToolWaiting"/>.</summary>
    public const string CompensationWaiting = "compensation.waiting";

    /// <summary>A pivot succeeded and sealed the steps before it: <c>turn, callId, tool, sealedCalls[]</c>.</summary>
    public const string ChainSealed = "chain.sealed";

    /// <summary>A rollback could not finish; the session needs attention: <c>turn, chainId, pending[{callId, tool, compensationTool, error}]</c>.</summary>
    public const string ChainParked = "chain.parked";

    /// <summary>A parked chain was retried or resolved by staff: <c>turn, chainId, action, by, note, outcome</c>.</summary>
    public const string ChainResolved = "chain.resolved";

    /// <summary>A turn ended: <c>turn, outcome (completed|failed|cancelled|deadline|budget), text, inputTokens, outputTokens, cost</c>.</summary>
    public const string TurnCompleted = "turn.completed";

    /// <summary>The session ended: <c>turn, reason</c>.</summary>
    public const string SessionEnded = "session.ended";
}
