namespace AgentOrchestrator.FakeOpenAI;

/// <summary>One canned answer of the fake server.</summary>
public sealed record FakeReply
{
    /// <summary>HTTP status; 200 for an answer.</summary>
    public int Status { get; init; } = 200;

    /// <summary>Seconds to put in <c>Retry-After</c>, if any.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>The assistant's text.</summary>
    public string? Text { get; init; }

    /// <summary>Tool calls: id, function name, JSON arguments.</summary>
    public IReadOnlyList<(string Id, string Name, string Arguments)> ToolCalls { get; init; } = [];

    /// <summary>Send a body that is not a chat completion.</summary>
    public bool Malformed { get; init; }

    /// <summary>An answer with text.</summary>
    public static FakeReply Say(string text) => new() { Text = text };

    /// <summary>An answer that calls tools.</summary>
    public static FakeReply Call(params (string Id, string Name, string Arguments)[] calls) => new() { ToolCalls = calls };

    /// <summary>An error status, e.g. 429 with <c>Retry-After</c>.</summary>
    public static FakeReply Error(int status, string? retryAfter = null) => new() { Status = status, RetryAfter = retryAfter };
}
