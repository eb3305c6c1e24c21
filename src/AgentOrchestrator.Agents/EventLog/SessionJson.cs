using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>How session events and transcript entries are written as JSON: camelCase, enums as strings.</summary>
internal static class SessionJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Serialize(object? value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);
}
