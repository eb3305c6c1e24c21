using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Model;

/// <summary>Reads the gateway's <see cref="ModelCallInfo"/> off responses and updates.</summary>
public static class ModelCallInfoExtensions
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>The usage, cost and answering deployment of a response from the gateway, or null if it carries none.
    /// Works on a streamed response put together with <c>ToChatResponse</c> (which moves the updates' properties onto
    /// the message) and after the response went through JSON (the value is then a <see cref="JsonElement"/>).</summary>
    /// <param name="response">A response from the gateway's <see cref="IChatClient"/>.</param>
    public static ModelCallInfo? GetModelCallInfo(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Read(response.AdditionalProperties)
            ?? response.Messages.Reverse().Select(m => Read(m.AdditionalProperties)).FirstOrDefault(i => i is not null);
    }

    /// <summary>The usage, cost and answering deployment carried by a streamed update, or null. The last update of a
    /// stream carries the complete record.</summary>
    /// <param name="update">An update from the gateway's streaming call.</param>
    public static ModelCallInfo? GetModelCallInfo(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Read(update.AdditionalProperties);
    }

    private static ModelCallInfo? Read(AdditionalPropertiesDictionary? properties) =>
        properties is null || !properties.TryGetValue(ModelCallInfo.PropertyKey, out var value) ? null : value switch
        {
            ModelCallInfo info => info,
            JsonElement json => json.Deserialize<ModelCallInfo>(Web),
            _ => null,
        };
}
