namespace AgentOrchestrator.FakeOpenAI;

/// <summary>
/// One canned answer of the <see cref="FakeOpenAIServer"/>: a completion (text and/or tool calls) or a fault.
/// A completion is streamed or not as the request asks, so the same script serves both kinds of call.
/// </summary>
public sealed class FakeResponse
{
    private FakeResponse(FakeResponseKind kind)
    {
        Kind = kind;
    }

    /// <summary>What the server does.</summary>
    public FakeResponseKind Kind { get; }

    /// <summary>The assistant text of a completion, or null.</summary>
    public string? Text { get; private set; }

    /// <summary>The function calls of a completion; empty for a text answer.</summary>
    public IReadOnlyList<FakeToolCall> ToolCalls { get; private set; } = [];

    /// <summary>The HTTP status of an <see cref="FakeResponseKind.Error"/>.</summary>
    public int StatusCode { get; private set; } = 200;

    /// <summary>The delay announced with an error, if any.</summary>
    public TimeSpan? RetryAfter { get; private set; }

    /// <summary>Whether <see cref="RetryAfter"/> goes out as <c>retry-after-ms</c> rather than <c>Retry-After</c> seconds.</summary>
    public bool RetryAfterInMilliseconds { get; private set; }

    /// <summary>The prompt token count reported in <c>usage</c>. Default 10.</summary>
    public int PromptTokens { get; private set; } = 10;

    /// <summary>The completion token count reported in <c>usage</c>. Default 5.</summary>
    public int CompletionTokens { get; private set; } = 5;

    /// <summary>How many characters of text go into one streamed delta. Default 4.</summary>
    public int TextChunkSize { get; private set; } = 4;

    /// <summary>How many characters of tool-call arguments go into one streamed fragment. Default 5.</summary>
    public int ArgumentFragmentSize { get; private set; } = 5;

    /// <summary>An assistant text answer.</summary>
    /// <param name="text">The text.</param>
    public static FakeResponse TextAnswer(string text) => new(FakeResponseKind.Completion) { Text = text };

    /// <summary>An assistant answer that calls one or more functions (finish reason <c>tool_calls</c>).</summary>
    /// <param name="calls">The calls, in order.</param>
    public static FakeResponse ToolCallAnswer(params FakeToolCall[] calls)
    {
        ArgumentOutOfRangeException.ThrowIfZero(calls.Length);
        return new(FakeResponseKind.Completion) { ToolCalls = calls };
    }

    /// <summary>A 429 with a <c>Retry-After</c> header (whole seconds, rounded up) or <c>retry-after-ms</c>.</summary>
    /// <param name="retryAfter">The delay announced.</param>
    /// <param name="inMilliseconds">Send <c>retry-after-ms</c> instead of <c>Retry-After</c>.</param>
    public static FakeResponse TooManyRequests(TimeSpan retryAfter, bool inMilliseconds = false) =>
        new(FakeResponseKind.Error) { StatusCode = 429, RetryAfter = retryAfter, RetryAfterInMilliseconds = inMilliseconds };

    /// <summary>An error status with an OpenAI-style error body and no retry header.</summary>
    /// <param name="statusCode">The status, 500 unless told.</param>
    public static FakeResponse ServerError(int statusCode = 500) => new(FakeResponseKind.Error) { StatusCode = statusCode };

    /// <summary>A 200 whose body is not valid JSON.</summary>
    public static FakeResponse Malformed() => new(FakeResponseKind.Malformed);

    /// <summary>Never answers; the request ends when the client cancels or the server stops.</summary>
    public static FakeResponse Hang() => new(FakeResponseKind.Hang);

    /// <summary>For a streamed request: sends the first half of <paramref name="text"/>, then stalls until the client
    /// gives up or the server stops.</summary>
    /// <param name="text">The text whose first half is streamed.</param>
    public static FakeResponse StallMidStream(string text) => new(FakeResponseKind.StallMidStream) { Text = text };

    /// <summary>The same answer reporting the given token usage.</summary>
    /// <param name="promptTokens">Prompt (input) tokens.</param>
    /// <param name="completionTokens">Completion (output) tokens.</param>
    public FakeResponse WithUsage(int promptTokens, int completionTokens)
    {
        var copy = (FakeResponse)MemberwiseClone();
        copy.PromptTokens = promptTokens;
        copy.CompletionTokens = completionTokens;
        return copy;
    }

    /// <summary>The same answer streamed in pieces of the given sizes.</summary>
    /// <param name="textChunkSize">Characters of text per delta.</param>
    /// <param name="argumentFragmentSize">Characters of tool-call arguments per fragment.</param>
    public FakeResponse WithChunking(int textChunkSize, int argumentFragmentSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(textChunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(argumentFragmentSize, 1);
        var copy = (FakeResponse)MemberwiseClone();
        copy.TextChunkSize = textChunkSize;
        copy.ArgumentFragmentSize = argumentFragmentSize;
        return copy;
    }
}
