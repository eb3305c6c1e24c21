namespace AgentOrchestrator.Agents.Model;

/// <summary>
/// What one call through the gateway used and cost, and which deployment answered. Rides on
/// <c>ChatResponse.AdditionalProperties</c> (and, streamed, on the updates) under <see cref="PropertyKey"/>;
/// read it with <see cref="ModelCallInfoExtensions.GetModelCallInfo(Microsoft.Extensions.AI.ChatResponse)"/>.
/// </summary>
/// <param name="Deployment">The deployment (or model name) that answered; <c>scripted</c> for the offline model.</param>
/// <param name="ModelId">The model the service says it ran, if it said.</param>
/// <param name="Attempts">Requests sent for this call, over all deployments, the answering one included.</param>
/// <param name="InputTokens">Input tokens the service reported, if it did.</param>
/// <param name="OutputTokens">Output tokens the service reported, if it did.</param>
/// <param name="Cost">Cost from the price table, or null when no price is configured or no usage was reported.</param>
public sealed record ModelCallInfo(string Deployment, string? ModelId, int Attempts, long? InputTokens, long? OutputTokens, decimal? Cost)
{
    /// <summary>The <c>AdditionalProperties</c> key the record is stored under.</summary>
    public const string PropertyKey = "agentorchestrator.model_call";
}
