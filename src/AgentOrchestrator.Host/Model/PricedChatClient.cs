using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Host.Model;

/// <summary>
/// Puts the cost (from the price table) and the answering deployment on every response, where the session's model
/// activity reads them, and counts tokens and cost in the host's metrics. A cost the inner client already reported
/// (the offline demo reports its own) is kept.
/// </summary>
internal sealed class PricedChatClient(IChatClient inner, ModelGatewayOptions options, Telemetry.HostTelemetry telemetry) : DelegatingChatClient(inner)
{
    // The property names the session activities read (AgentOrchestrator.Agents.Activities.ModelUsage).
    internal const string CostProperty = "agentorchestrator.cost";
    internal const string DeploymentProperty = "agentorchestrator.deployment";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        response.AdditionalProperties = Priced(response.AdditionalProperties, response.Usage, response.ModelId);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Held back one update, so the cost can ride on the last one instead of an extra, empty update.
        ChatResponseUpdate? held = null;
        UsageDetails? usage = null;
        AdditionalPropertiesDictionary? reported = null;
        string? modelId = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            foreach (var content in update.Contents.OfType<UsageContent>())
            {
                usage ??= new UsageDetails();
                usage.Add(content.Details);
            }

            if (update.AdditionalProperties is { } properties)
            {
                reported ??= [];
                foreach (var (key, value) in properties)
                {
                    reported[key] = value;
                }
            }

            modelId = update.ModelId ?? modelId;
            if (held is not null)
            {
                yield return held;
            }

            held = update;
        }

        if (held is not null)
        {
            var priced = Priced(reported, usage, modelId);
            held.AdditionalProperties ??= [];
            foreach (var (key, value) in priced)
            {
                held.AdditionalProperties[key] = value;
            }

            yield return held;
        }
    }

    private AdditionalPropertiesDictionary Priced(AdditionalPropertiesDictionary? reported, UsageDetails? usage, string? modelId)
    {
        var properties = reported is null ? [] : new AdditionalPropertiesDictionary(reported);
        var deployment = properties.TryGetValue(DeploymentProperty, out var d) && d is not null ? d.ToString()! : options.Deployment ?? modelId ?? "offline-demo";
        properties[DeploymentProperty] = deployment;
        long input = usage?.InputTokenCount ?? 0, output = usage?.OutputTokenCount ?? 0;
        decimal cost;
        if (properties.TryGetValue(CostProperty, out var c) && c is not null)
        {
            cost = Convert.ToDecimal(c, System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            cost = options.Prices.TryGetValue(deployment, out var price) ? ((input * price.InputPerMillion) + (output * price.OutputPerMillion)) / 1_000_000m : 0m;
            properties[CostProperty] = cost;
        }

        telemetry.ModelTokens.Add(input, new KeyValuePair<string, object?>("gen_ai.request.model", deployment), new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
        telemetry.ModelTokens.Add(output, new KeyValuePair<string, object?>("gen_ai.request.model", deployment), new KeyValuePair<string, object?>("gen_ai.token.type", "output"));
        telemetry.ModelCost.Add((double)cost, new KeyValuePair<string, object?>("gen_ai.request.model", deployment));
        return properties;
    }
}
