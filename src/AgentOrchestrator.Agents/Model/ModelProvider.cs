namespace AgentOrchestrator.Agents.Model;

/// <summary>Which model service the gateway talks to.</summary>
public enum ModelProvider
{
    /// <summary>The offline <see cref="ScriptedChatClient"/>: deterministic, no network. For the demo, tests and benchmarks.</summary>
    Scripted,

    /// <summary>Azure OpenAI: <c>{Endpoint}/openai/deployments/{deployment}/chat/completions</c> with an <c>api-key</c>.</summary>
    AzureOpenAI,

    /// <summary>Any OpenAI-compatible chat-completions endpoint (OpenAI itself, vLLM, Ollama, LiteLLM...);
    /// a deployment name is sent as the <c>model</c>.</summary>
    OpenAICompatible,
}
