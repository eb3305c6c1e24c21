using System.Text.Json.Serialization;

namespace AgentOrchestrator.Durable.History;

/// <summary>One entry of an orchestration's event-sourced history.</summary>
/// <remarks>
/// Events that record a scheduling decision (<see cref="TaskScheduled"/>, <see cref="TimerCreated"/>,
/// <see cref="SubOrchestrationCreated"/>, <see cref="EventSent"/>) carry the sequence id the
/// orchestrator code gave the action; replay matches the code's actions to these ids.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ExecutionStarted), nameof(ExecutionStarted))]
[JsonDerivedType(typeof(OrchestratorStarted), nameof(OrchestratorStarted))]
[JsonDerivedType(typeof(TaskScheduled), nameof(TaskScheduled))]
[JsonDerivedType(typeof(TaskCompleted), nameof(TaskCompleted))]
[JsonDerivedType(typeof(TaskFailed), nameof(TaskFailed))]
[JsonDerivedType(typeof(TimerCreated), nameof(TimerCreated))]
[JsonDerivedType(typeof(TimerFired), nameof(TimerFired))]
[JsonDerivedType(typeof(EventRaised), nameof(EventRaised))]
[JsonDerivedType(typeof(EventSent), nameof(EventSent))]
[JsonDerivedType(typeof(SubOrchestrationCreated), nameof(SubOrchestrationCreated))]
[JsonDerivedType(typeof(SubOrchestrationCompleted), nameof(SubOrchestrationCompleted))]
[JsonDerivedType(typeof(SubOrchestrationFailed), nameof(SubOrchestrationFailed))]
[JsonDerivedType(typeof(ContinuedAsNew), nameof(ContinuedAsNew))]
[JsonDerivedType(typeof(ExecutionSuspended), nameof(ExecutionSuspended))]
[JsonDerivedType(typeof(ExecutionResumed), nameof(ExecutionResumed))]
[JsonDerivedType(typeof(ExecutionTerminated), nameof(ExecutionTerminated))]
[JsonDerivedType(typeof(ExecutionCompleted), nameof(ExecutionCompleted))]
[JsonDerivedType(typeof(ExecutionFailed), nameof(ExecutionFailed))]
public abstract record HistoryEvent
{
    /// <summary>The sequence id of the action this event records, or -1 for events that record no action.</summary>
    public int EventId { get; init; } = -1;

    /// <summary>When the event was created, from the engine's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The event's kind, as it appears in serialized history.</summary>
    [JsonIgnore]
    public string Kind => GetType().Name;
}
