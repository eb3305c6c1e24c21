namespace AgentOrchestrator.Agents.Sessions;

/// <summary>One step of a parked chain whose compensation failed.</summary>
/// <param name="CallId">The original call's id.</param>
/// <param name="Tool">The original tool.</param>
/// <param name="CompensationTool">The compensating tool that failed.</param>
/// <param name="CompensationVersion">The compensating tool's version the session is pinned to.</param>
/// <param name="Arguments">The compensation's arguments as JSON.</param>
/// <param name="IdempotencyKey">The compensation's idempotency key (reused on retry).</param>
/// <param name="Error">The last error.</param>
public sealed record ParkedStep(string CallId, string Tool, string CompensationTool, string CompensationVersion, string Arguments, string IdempotencyKey, string Error);
