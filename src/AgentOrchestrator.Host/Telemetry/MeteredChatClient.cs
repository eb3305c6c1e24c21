using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Host.Telemetry;

/// <summary>
/// Counts the model gateway's tokens and cost in the host's metrics, per deployment, from what the gateway reports on
/// each response (usage, and the cost and deployment properties the session activities read too).
/// </summary>
internal sealed class MeteredChatClient(IChatClient inner, HostTelemetry telemetry) : DelegatingChatClient(inner)
{
    // The property names the gateway sets and the session activities read (AgentOrchestrator.Agents.Activities.ModelUsage).
    private const string CostProperty = "agentorchestrator.cost";
    private const string DeploymentProperty = "agentorchestrator.deployment";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        Record(response.Usage, response.AdditionalProperties, response.ModelId);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        UsageDetails? usage = null;
        var properties = new AdditionalPropertiesDictionary();
        string? modelId = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            foreach (var content in update.Contents.OfType<UsageContent>())
            {
                usage ??= new UsageDetails();
                usage.Add(content.Details);
            }

            foreach (var (key, value) in update.AdditionalProperties ?? [])
            {
                properties[key] = value;
            }

            modelId = update.ModelId ?? modelId;
            yield return update;
        }

        Record(usage, properties, modelId);
    }

    private void Record(UsageDetails? usage, AdditionalPropertiesDictionary? properties, string? modelId)
    {
        var deployment = properties?.TryGetValue(DeploymentProperty, out var d) == true && d is not null ? d.ToString() : modelId ?? "unknown";
        var model = new KeyValuePair<string, object?>("gen_ai.request.model", deployment);
        telemetry.ModelTokens.Add(usage?.InputTokenCount ?? 0, model, new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
        telemetry.ModelTokens.Add(usage?.OutputTokenCount ?? 0, model, new KeyValuePair<string, object?>("gen_ai.token.type", "output"));
        if (properties?.TryGetValue(CostProperty, out var cost) == true && cost is not null)
        {
            telemetry.ModelCost.Add(Convert.ToDouble(cost, CultureInfo.InvariantCulture), model);
        }
    }
}
