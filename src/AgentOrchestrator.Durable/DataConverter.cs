using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentOrchestrator.Durable;

/// <summary>Serializes inputs, outputs and event payloads with System.Text.Json.</summary>
public static class DataConverter
{
    /// <summary>The options used for inputs and outputs: web defaults (camelCase), enums as strings.</summary>
    public static JsonSerializerOptions DefaultOptions { get; } = CreateOptions();

    /// <summary>Serializes a value, or returns null for null.</summary>
    public static string? Serialize(object? value)
        => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), DefaultOptions);

    /// <summary>Deserializes a value; null text gives the type's default.</summary>
    public static T? Deserialize<T>(string? json)
        => json is null ? default : JsonSerializer.Deserialize<T>(json, DefaultOptions);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
