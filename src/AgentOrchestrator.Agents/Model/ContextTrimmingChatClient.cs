using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Agents.Model;

/// <summary>Trims each request to the context window (less the tokens reserved for the answer and the tool
/// definitions) with a <see cref="ContextWindowTrimmer"/> before passing it on.</summary>
internal sealed class ContextTrimmingChatClient : DelegatingChatClient
{
    private readonly ContextWindowTrimmer _trimmer;
    private readonly TokenCounter _counter;
    private readonly ModelGatewayOptions _options;
    private readonly ILogger _logger;

    public ContextTrimmingChatClient(IChatClient inner, ContextWindowTrimmer trimmer, TokenCounter counter, ModelGatewayOptions options, ILogger logger)
        : base(inner)
    {
        _trimmer = trimmer;
        _counter = counter;
        _options = options;
        _logger = logger;
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(Fit(messages, options), options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(Fit(messages, options), options, cancellationToken);

    private IReadOnlyList<ChatMessage> Fit(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var budget = _options.ContextWindowTokens - _options.ReservedOutputTokens - _counter.CountTools(options);
        var result = _trimmer.Trim(list, Math.Max(budget, 0), _options.SummarizeTrimmedTurns);
        if (result.DroppedMessages > 0)
        {
            ModelGatewayLog.ContextTrimmed(_logger, result.DroppedMessages, result.TokenCount, budget);
        }

        return result.Messages;
    }
}
