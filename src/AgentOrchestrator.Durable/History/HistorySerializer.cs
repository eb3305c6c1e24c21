using System.Text.Json;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.History;

/// <summary>The one JSON form of history events and messages that every store writes.</summary>
public static class HistorySerializer
{
    /// <summary>Serializes an event.</summary>
    public static string Serialize(HistoryEvent historyEvent) => JsonSerializer.Serialize(historyEvent, DataConverter.DefaultOptions);

    /// <summary>Deserializes an event written by <see cref="Serialize(HistoryEvent)"/>.</summary>
    public static HistoryEvent Deserialize(string json)
        => JsonSerializer.Deserialize<HistoryEvent>(json, DataConverter.DefaultOptions)
           ?? throw new JsonException("A history event was null.");

    private static readonly JsonSerializerOptions Indented = new(DataConverter.DefaultOptions) { WriteIndented = true };

    /// <summary>Serializes a whole history as a JSON array (the golden-history file format).</summary>
    public static string SerializeHistory(IEnumerable<HistoryEvent> events) => JsonSerializer.Serialize(events.ToList(), Indented);

    /// <summary>Deserializes a JSON array of events.</summary>
    public static IReadOnlyList<HistoryEvent> DeserializeHistory(string json)
        => JsonSerializer.Deserialize<List<HistoryEvent>>(json, DataConverter.DefaultOptions) ?? [];

    /// <summary>Serializes an activity task's or message's payload as the stores keep it.</summary>
    public static string SerializeMessage(OrchestrationMessage message) => JsonSerializer.Serialize(message, DataConverter.DefaultOptions);

    /// <summary>Deserializes a message written by <see cref="SerializeMessage"/>.</summary>
    public static OrchestrationMessage DeserializeMessage(string json)
        => JsonSerializer.Deserialize<OrchestrationMessage>(json, DataConverter.DefaultOptions)
           ?? throw new JsonException("A message was null.");
}
