namespace AgentOrchestrator.Api.DeadLetters;

/// <summary>One set-aside message as staff see it.</summary>
/// <param name="Id">Its id, to put it back.</param>
/// <param name="Kind"><c>OrchestrationMessage</c> (can be put back) or <c>ActivityTask</c> (its session was told it failed).</param>
/// <param name="SessionId">The session (orchestration instance) it was for.</param>
/// <param name="EventType">The Durable Task event it carried.</param>
/// <param name="Name">The activity's name, for a task.</param>
/// <param name="DeliveryCount">How often it was delivered.</param>
/// <param name="Reason">Why it was set aside.</param>
/// <param name="SetAsideAt">When.</param>
/// <param name="Payload">The message itself, as JSON.</param>
public sealed record DeadLetterView(
    long Id, string Kind, string SessionId, string EventType, string? Name, int DeliveryCount, string Reason, DateTimeOffset SetAsideAt, string? Payload);
