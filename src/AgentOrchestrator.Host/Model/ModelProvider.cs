namespace AgentOrchestrator.Host.Model;

/// <summary>Which model the sessions talk to.</summary>
public enum ModelProvider
{
    /// <summary>The offline demo model: rule-based, no network, no key. The embedded default.</summary>
    OfflineDemo,

    /// <summary>An Azure OpenAI deployment (<c>Model:Endpoint</c>, <c>Model:Deployment</c>, key in <c>MODEL_API_KEY</c>).</summary>
    AzureOpenAI,

    /// <summary>OpenAI or any OpenAI-compatible chat-completions endpoint (<c>Model:Endpoint</c> optional, <c>Model:Deployment</c> is the model name).</summary>
    OpenAI,
}
