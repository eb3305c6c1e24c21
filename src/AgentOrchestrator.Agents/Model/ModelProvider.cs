namespace AgentOrchestrator.Agents.Model;

/// <summary>Where model calls go.</summary>
public enum ModelProvider
{
    /// <summary>The offline demo model: no endpoint, no key, deterministic.</summary>
    Offline,

    /// <summary>Azure OpenAI: <c>{Endpoint}/openai/deployments/{deployment}/chat/completions</c>.</summary>
    AzureOpenAI,

    /// <summary>Any OpenAI-compatible endpoint: <c>{Endpoint}/chat/completions</c> with the deployment as the model name.</summary>
    OpenAICompatible,
}
