using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Agents.Model;

/// <summary>
/// Completes the <see cref="ModelCallInfo"/> of every answer with the token usage the service reported and its cost
/// from the price table. Streamed, it holds each update back by one so the complete record rides on the last update,
/// where <c>ToChatResponse</c> picks it up.
/// </summary>
internal sealed class UsageTrackingChatClient : DelegatingChatClient
{
    private readonly IReadOnlyDictionary<string, ModelPrice> _prices;
    private readonly string _defaultDeployment;
    private readonly ILogger _logger;

    public UsageTrackingChatClient(IChatClient inner, IReadOnlyDictionary<string, ModelPrice> prices, string defaultDeployment, ILogger logger)
        : base(inner)
    {
        _prices = prices;
        _defaultDeployment = defaultDeployment;
        _logger = logger;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        var info = Complete(response.GetModelCallInfo(), response.ModelId, response.Usage);
        response.AdditionalProperties ??= [];
        response.AdditionalProperties[ModelCallInfo.PropertyKey] = info;
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ModelCallInfo? partial = null;
        string? modelId = null;
        var usage = new UsageDetails();
        var sawUsage = false;
        ChatResponseUpdate? held = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            partial = update.GetModelCallInfo() ?? partial;
            modelId = update.ModelId ?? modelId;
            foreach (var content in update.Contents.OfType<UsageContent>())
            {
                usage.Add(content.Details);
                sawUsage = true;
            }

            if (held is not null)
            {
                yield return held;
            }

            held = update;
        }

        var info = Complete(partial, modelId, sawUsage ? usage : null);
        held ??= new ChatResponseUpdate(ChatRole.Assistant, []);
        held.AdditionalProperties ??= [];
        held.AdditionalProperties[ModelCallInfo.PropertyKey] = info;
        yield return held;
    }

    private ModelCallInfo Complete(ModelCallInfo? partial, string? modelId, UsageDetails? usage)
    {
        var deployment = partial?.Deployment ?? _defaultDeployment;
        modelId ??= partial?.ModelId;
        var input = usage?.InputTokenCount;
        var output = usage?.OutputTokenCount;
        decimal? cost = null;
        if (input is not null || output is not null)
        {
            var price = _prices.GetValueOrDefault(deployment) ?? (modelId is null ? null : _prices.GetValueOrDefault(modelId));
            cost = price?.CostOf(input ?? 0, output ?? 0);
        }

        var info = new ModelCallInfo(deployment, modelId, partial?.Attempts ?? 1, input, output, cost);
        ModelGatewayLog.CallCompleted(_logger, info.Deployment, info.Attempts, input, output, cost);
        return info;
    }
}
