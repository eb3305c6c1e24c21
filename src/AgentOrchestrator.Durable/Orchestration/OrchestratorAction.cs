using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable.Orchestration;

/// <summary>A decision orchestrator code made; it becomes a history event and, when new, outgoing work.</summary>
internal abstract record OrchestratorAction(int Id)
{
    /// <summary>The history event that records this decision.</summary>
    public abstract HistoryEvent ToHistoryEvent(DateTimeOffset timestamp);

    /// <summary>A short description for non-determinism errors.</summary>
    public abstract string Describe();
}

internal sealed record ScheduleTaskAction(int Id, string Name, string? Input) : OrchestratorAction(Id)
{
    public override HistoryEvent ToHistoryEvent(DateTimeOffset timestamp) => new TaskScheduled(Name, Input) { EventId = Id, Timestamp = timestamp };

    public override string Describe() => $"TaskScheduled '{Name}'";
}

internal sealed record CreateTimerAction(int Id, DateTimeOffset FireAt) : OrchestratorAction(Id)
{
    public override HistoryEvent ToHistoryEvent(DateTimeOffset timestamp) => new TimerCreated(FireAt) { EventId = Id, Timestamp = timestamp };

    public override string Describe() => "TimerCreated";
}

internal sealed record SendEventAction(int Id, string InstanceId, string Name, string? Input) : OrchestratorAction(Id)
{
    public override HistoryEvent ToHistoryEvent(DateTimeOffset timestamp) => new EventSent(InstanceId, Name, Input) { EventId = Id, Timestamp = timestamp };

    public override string Describe() => $"EventSent '{Name}' to '{InstanceId}'";
}

internal sealed record CreateSubOrchestrationAction(int Id, string Name, string InstanceId, string ExecutionId, string? Input) : OrchestratorAction(Id)
{
    public override HistoryEvent ToHistoryEvent(DateTimeOffset timestamp)
        => new SubOrchestrationCreated(Name, InstanceId, Input) { EventId = Id, Timestamp = timestamp };

    public override string Describe() => $"SubOrchestrationCreated '{Name}'";
}
