namespace AgentOrchestrator.Agents.Activities;

/// <summary>How to undo a completed step: planned from its arguments and result right after it succeeded.</summary>
/// <param name="Tool">The compensating tool.</param>
/// <param name="Version">Its version.</param>
/// <param name="Arguments">Its arguments as JSON text.</param>
/// <param name="ContinueOnFailure">True when a failed compensation should not park the chain.</param>
/// <param name="Retry">The compensating tool's retry policy.</param>
public sealed record PlannedCompensation(string Tool, string Version, string Arguments, bool ContinueOnFailure, CallRetry Retry);
