namespace AgentOrchestrator.Agents.Sessions;

/// <summary>A rollback that could not finish: the compensations still owed.</summary>
/// <param name="ChainId">Id to retry or resolve it with.</param>
/// <param name="Turn">The turn whose chain it was.</param>
/// <param name="Pending">The steps whose compensation failed for good, newest first.</param>
public sealed record ParkedChain(string ChainId, int Turn, IReadOnlyList<ParkedStep> Pending);
