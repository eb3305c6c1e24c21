using System.Text.Json;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>JSON text held in inputs and results, as elements for the events that carry it.</summary>
internal static class JsonText
{
    /// <summary>Parses JSON text into an element that outlives its document; null for null.</summary>
    public static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
