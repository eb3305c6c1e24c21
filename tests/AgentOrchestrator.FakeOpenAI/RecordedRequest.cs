namespace AgentOrchestrator.FakeOpenAI;

/// <summary>A chat-completions request the fake server received.</summary>
/// <param name="Path">The request path, e.g. <c>/openai/deployments/gpt-4o/chat/completions</c>.</param>
/// <param name="Deployment">The Azure deployment from the path, or the <c>model</c> field on OpenAI-style routes.</param>
/// <param name="Stream">Whether the client asked for a server-sent-events stream.</param>
/// <param name="IncludeUsage">Whether the client asked for a usage chunk at the end of the stream.</param>
/// <param name="Messages">The conversation sent.</param>
/// <param name="ToolNames">The names of the function tools offered.</param>
/// <param name="ApiKey">The key from the <c>api-key</c> header or the bearer token, if any.</param>
/// <param name="Body">The raw request body.</param>
public sealed record RecordedRequest(
    string Path,
    string Deployment,
    bool Stream,
    bool IncludeUsage,
    IReadOnlyList<RecordedMessage> Messages,
    IReadOnlyList<string> ToolNames,
    string? ApiKey,
    string Body);
