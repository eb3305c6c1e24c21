using System.Runtime.CompilerServices;
using AgentOrchestrator.Agents.Model;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Api.Telemetry;

/// <summary>
/// Counts the model gateway's tokens and cost in the host's metrics, per deployment, from the <see cref="ModelCallInfo"/>
/// the gateway puts on each response (the same record the session activities read).
/// </summary>
internal sealed class MeteredChatClient(IChatClient inner, HostTelemetry telemetry) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        Record(response.GetModelCallInfo());
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ModelCallInfo? info = null;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            info = update.GetModelCallInfo() ?? info;
            yield return update;
        }

        Record(info);
    }

    private void Record(ModelCallInfo? info)
    {
        if (info is null)
        {
            return;
        }

        var model = new KeyValuePair<string, object?>("gen_ai.request.model", info.Deployment);
        telemetry.ModelTokens.Add(info.InputTokens ?? 0, model, new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
        telemetry.ModelTokens.Add(info.OutputTokens ?? 0, model, new KeyValuePair<string, object?>("gen_ai.token.type", "output"));
        if (info.Cost is { } cost)
        {
            telemetry.ModelCost.Add((double)cost, model);
        }
    }
}
