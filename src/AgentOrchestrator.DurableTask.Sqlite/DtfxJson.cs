using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Serializing;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// How rows hold DurableTask.Core objects: DurableTask.Core's own JSON (<see cref="JsonDataConverter.Default"/>, which
/// records each object's type), so a message or event reads back as the same type with the same fields.
/// </summary>
internal static class DtfxJson
{
    private static readonly JsonDataConverter Converter = JsonDataConverter.Default;

    /// <summary>A message as a row keeps it.</summary>
    public static string Serialize(TaskMessage message) => Converter.Serialize(message);

    /// <summary>A history event as a row keeps it.</summary>
    public static string Serialize(HistoryEvent historyEvent) => Converter.Serialize(historyEvent);

    /// <summary>Any other DurableTask.Core value (failure details, tags, parent instance), or null.</summary>
    public static string? SerializeValue(object? value) => value is null ? null : Converter.Serialize(value);

    /// <summary>A message read back.</summary>
    public static TaskMessage DeserializeMessage(string json)
        => Converter.Deserialize<TaskMessage>(json) ?? throw new FormatException("The stored message was empty.");

    /// <summary>A history event read back.</summary>
    public static HistoryEvent DeserializeEvent(string json)
        => Converter.Deserialize<HistoryEvent>(json) ?? throw new FormatException("The stored history event was empty.");

    /// <summary>A stored value read back, or null.</summary>
    public static T? DeserializeValue<T>(string? json) where T : class => json is null ? null : Converter.Deserialize<T>(json);
}
