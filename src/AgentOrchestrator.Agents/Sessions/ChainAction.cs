namespace AgentOrchestrator.Agents.Sessions;

/// <summary>What support staff do with a parked chain.</summary>
/// <param name="ChainId">The parked chain.</param>
/// <param name="Action"><see cref="ChainActionKind.Retry"/> runs the failed compensations again; <see cref="ChainActionKind.Resolve"/> records that they were handled by hand.</param>
/// <param name="By">Who acted.</param>
/// <param name="Note">Optional note for the record.</param>
public sealed record ChainAction(string ChainId, ChainActionKind Action, string? By = null, string? Note = null);
