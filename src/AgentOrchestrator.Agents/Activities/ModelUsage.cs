using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>Reads what the model gateway reports about a response: cost and the deployment that answered.</summary>
internal static class ModelUsage
{
    /// <summary>The response property holding the call's cost.</summary>
    public const string CostProperty = "agentorchestrator.cost";

    /// <summary>The response property holding the deployment that answered.</summary>
    public const string DeploymentProperty = "agentorchestrator.deployment";

    public static decimal CostOf(ChatResponse response)
        => response.AdditionalProperties?.TryGetValue(CostProperty, out var value) == true ? Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture) : 0m;

    public static string? DeploymentOf(ChatResponse response)
        => response.AdditionalProperties?.TryGetValue(DeploymentProperty, out var value) == true ? value?.ToString() : response.ModelId;
}
