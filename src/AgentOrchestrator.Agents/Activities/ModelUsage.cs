using AgentOrchestrator.Agents.Model;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>
/// Reads what one model call used, cost, which deployment answered and after how many requests: the gateway's <see cref="ModelCallInfo"/>
/// when the response carries it, otherwise the response's own usage and model id (a client outside the gateway).
/// </summary>
internal static class ModelUsage
{
    public static (long Input, long Output, decimal Cost, string? Deployment, int Attempts) Of(ChatResponse response)
    {
        var info = response.GetModelCallInfo();
        return (
            info?.InputTokens ?? response.Usage?.InputTokenCount ?? 0,
            info?.OutputTokens ?? response.Usage?.OutputTokenCount ?? 0,
            info?.Cost ?? 0m,
            info?.Deployment ?? response.ModelId,
            info?.Attempts ?? 1);
    }
}
