using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable.Storage;

/// <summary>Everything one episode commits, atomically, for one instance.</summary>
public sealed record OrchestrationCheckpoint
{
    /// <summary>History events to append, in order.</summary>
    public required IReadOnlyList<HistoryEvent> NewEvents { get; init; }

    /// <summary>When true (continue-as-new), the existing history is deleted before <see cref="NewEvents"/> are written.</summary>
    public bool ReplacesHistory { get; init; }

    /// <summary>The inbox messages the episode consumed; they are removed.</summary>
    public required IReadOnlyList<string> ConsumedMessageIds { get; init; }

    /// <summary>The instance status row after the episode.</summary>
    public required InstanceUpdate Instance { get; init; }

    /// <summary>Activities to enqueue (insert-if-absent by id).</summary>
    public IReadOnlyList<ActivityTask> ActivityTasks { get; init; } = [];

    /// <summary>Messages to this or other instances (timers, events, sub-orchestration results); insert-if-absent by id,
    /// dropped when the target instance does not exist.</summary>
    public IReadOnlyList<OrchestrationMessage> Messages { get; init; } = [];

    /// <summary>Sub-orchestrations to create; an instance that already exists is left as it is.</summary>
    public IReadOnlyList<NewInstance> NewInstances { get; init; } = [];

    /// <summary>Consumed messages that were delivered too often; they are recorded as dead letters.</summary>
    public IReadOnlyList<DeadLetter> DeadLetters { get; init; } = [];

    /// <summary>
    /// Entries for the instance's event log (<see cref="IInstanceEventLog"/>), in order, each skipped when its dedupe key is
    /// already there. A store writes them in the checkpoint's transaction when the log lives where it can; otherwise just
    /// before it, so that a refused checkpoint may leave them behind and the retried episode writes them again: give
    /// every entry a dedupe key.
    /// </summary>
    public IReadOnlyList<InstanceLogEntry> LogEntries { get; init; } = [];
}
