using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable.Storage;

/// <summary>A message in an instance's inbox: an event the next episode will consume.</summary>
/// <param name="Id">A deterministic id: a second delivery of the same message is dropped where it lands.</param>
/// <param name="InstanceId">The target instance.</param>
/// <param name="ExecutionId">The target execution, or null for whichever execution is current (client events).</param>
/// <param name="Event">The event to deliver.</param>
/// <param name="VisibleAt">The message is not delivered before this time (durable timers, delayed starts).</param>
public sealed record OrchestrationMessage(string Id, string InstanceId, string? ExecutionId, HistoryEvent Event, DateTimeOffset VisibleAt)
{
    /// <summary>How many times a worker has locked this message, counted by the store; 0 before the first lock.</summary>
    public int DeliveryCount { get; init; }

    /// <summary>
    /// Control messages (start, resume, terminate) are delivered whatever the instance's status; all other
    /// messages only to a running instance, so a pending or suspended instance keeps them in its inbox.
    /// </summary>
    public bool IsControl => Event is ExecutionStarted or ExecutionTerminated or ExecutionResumed;
}
