using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable.Orchestration;

/// <summary>What one episode decided: the history to append, the new actions and, if it ended, how
/// (and whether it ended in this episode or had ended before), and the entries the code appended to the instance's event log.</summary>
internal sealed record EpisodeResult(
    IReadOnlyList<HistoryEvent> NewEvents,
    IReadOnlyList<OrchestratorAction> NewActions,
    ExecutionOutcome? Outcome,
    bool EndedInThisEpisode,
    bool IsSuspended,
    string? CustomStatus,
    IReadOnlyList<Storage.InstanceLogEntry> LogEntries);
