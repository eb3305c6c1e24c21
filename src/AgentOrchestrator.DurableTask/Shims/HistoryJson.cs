using DurableTask.Core.History;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace AgentOrchestrator.DurableTask.Shims;

/// <summary>
/// Reads the history a provider returns from <c>GetOrchestrationHistoryAsync</c>: a JSON array of DTFx history events,
/// each naming its <see cref="EventType"/> (DurableTask.AzureStorage and the SQLite service write it so).
/// </summary>
internal static class HistoryJson
{
    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        ConstructorHandling = ConstructorHandling.AllowNonPublicDefaultConstructor,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
    });

    public static IList<HistoryEvent> Parse(string json)
    {
        var events = new List<HistoryEvent>();
        if (string.IsNullOrWhiteSpace(json))
        {
            return events;
        }

        foreach (var item in JArray.Parse(json).OfType<JObject>())
        {
            var type = item.GetValue(nameof(HistoryEvent.EventType), StringComparison.OrdinalIgnoreCase) is { } value
                ? value.Type == JTokenType.String ? Enum.Parse<EventType>(value.Value<string>()!, ignoreCase: true) : (EventType)value.Value<int>()
                : throw new FormatException($"A history event has no EventType: {item.ToString(Formatting.None)[..Math.Min(200, item.ToString(Formatting.None).Length)]}");
            events.Add((HistoryEvent)item.ToObject(ClassOf(type), Serializer)!);
        }

        return events;
    }

    private static Type ClassOf(EventType type) => type switch
    {
        EventType.ExecutionStarted => typeof(ExecutionStartedEvent),
        EventType.ExecutionCompleted => typeof(ExecutionCompletedEvent),
        EventType.ExecutionFailed => typeof(ExecutionCompletedEvent), // DTFx records failures as ExecutionCompletedEvent with a failed status
        EventType.ExecutionTerminated => typeof(ExecutionTerminatedEvent),
        EventType.TaskScheduled => typeof(TaskScheduledEvent),
        EventType.TaskCompleted => typeof(TaskCompletedEvent),
        EventType.TaskFailed => typeof(TaskFailedEvent),
        EventType.SubOrchestrationInstanceCreated => typeof(SubOrchestrationInstanceCreatedEvent),
        EventType.SubOrchestrationInstanceCompleted => typeof(SubOrchestrationInstanceCompletedEvent),
        EventType.SubOrchestrationInstanceFailed => typeof(SubOrchestrationInstanceFailedEvent),
        EventType.TimerCreated => typeof(TimerCreatedEvent),
        EventType.TimerFired => typeof(TimerFiredEvent),
        EventType.OrchestratorStarted => typeof(OrchestratorStartedEvent),
        EventType.OrchestratorCompleted => typeof(OrchestratorCompletedEvent),
        EventType.EventSent => typeof(EventSentEvent),
        EventType.EventRaised => typeof(EventRaisedEvent),
        EventType.ContinueAsNew => typeof(ContinueAsNewEvent),
        EventType.GenericEvent => typeof(GenericEvent),
        EventType.HistoryState => typeof(HistoryStateEvent),
        EventType.ExecutionSuspended => typeof(ExecutionSuspendedEvent),
        EventType.ExecutionResumed => typeof(ExecutionResumedEvent),
        EventType.ExecutionRewound => typeof(ExecutionRewoundEvent),
        _ => throw new FormatException($"Unknown history event type {type}."),
    };
}
