namespace AgentOrchestrator.Durable.Storage;

/// <summary>A message that was delivered too many times and will not be retried.</summary>
/// <param name="MessageId">The message id.</param>
/// <param name="InstanceId">The instance it belonged to.</param>
/// <param name="Kind">Whether it was an inbox message or an activity task.</param>
/// <param name="Name">The event kind, or the activity name.</param>
/// <param name="Payload">The serialized message or activity input.</param>
/// <param name="DeliveryCount">How many times it was delivered.</param>
/// <param name="Reason">Why it was dead-lettered.</param>
/// <param name="DeadLetteredAt">When.</param>
public sealed record DeadLetter(
    string MessageId,
    string InstanceId,
    DeadLetterKind Kind,
    string Name,
    string? Payload,
    int DeliveryCount,
    string Reason,
    DateTimeOffset DeadLetteredAt);
