namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// A message or activity task delivered more than <see cref="SqliteOrchestrationServiceSettings.MaxDeliveryCount"/> times
/// without being completed, and set aside instead of delivered again.
/// </summary>
/// <param name="Id">Its id among the set-aside messages, for <see cref="SqliteOrchestrationService.ResubmitPoisonMessageAsync"/>.</param>
/// <param name="Kind">An orchestration message or an activity task.</param>
/// <param name="InstanceId">The orchestration instance it was for.</param>
/// <param name="ExecutionId">The execution it was for, when it named one.</param>
/// <param name="EventType">The DurableTask.Core event type (for example <c>EventRaised</c>, <c>TaskScheduled</c>).</param>
/// <param name="Name">The activity's name, for a task.</param>
/// <param name="DeliveryCount">How many times it was delivered.</param>
/// <param name="Reason">Why it was set aside.</param>
/// <param name="SetAsideAt">When it was set aside.</param>
/// <param name="Message">The DurableTask.Core <c>TaskMessage</c> as JSON.</param>
public sealed record PoisonMessage(
    long Id,
    PoisonMessageKind Kind,
    string InstanceId,
    string? ExecutionId,
    string EventType,
    string? Name,
    int DeliveryCount,
    string Reason,
    DateTimeOffset SetAsideAt,
    string Message);
