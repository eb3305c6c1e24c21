using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace AgentOrchestrator.Agents.Model;

/// <summary>
/// Counts tokens the way the GPT-4o family does (the o200k_base encoding), including the few tokens of framing
/// each chat message costs, so the context window can be managed before a request is sent.
/// </summary>
public sealed class TokenCounter
{
    /// <summary>Tokens of framing per message (role and separators), as OpenAI's cookbook counts them.</summary>
    public const int PerMessageOverhead = 4;

    /// <summary>Tokens that prime every reply.</summary>
    public const int ReplyPriming = 3;

    private static readonly Lazy<TokenCounter> O200k = new(() => new TokenCounter(TiktokenTokenizer.CreateForModel("gpt-4o")));

    private readonly Tokenizer _tokenizer;

    /// <summary>Creates a counter over any tokenizer.</summary>
    /// <param name="tokenizer">The tokenizer of the model in use.</param>
    public TokenCounter(Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
    }

    /// <summary>A shared counter for the o200k_base encoding (GPT-4o, GPT-4.1, o-series); loaded on first use.</summary>
    public static TokenCounter Default => O200k.Value;

    /// <summary>Tokens in a piece of text.</summary>
    /// <param name="text">The text.</param>
    public int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : _tokenizer.CountTokens(text);

    /// <summary>Tokens one message costs in a request: its text, tool calls and tool results, plus framing.</summary>
    /// <param name="message">The message.</param>
    public int Count(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var total = PerMessageOverhead + Count(message.AuthorName);
        foreach (var content in message.Contents)
        {
            total += content switch
            {
                TextContent text => Count(text.Text),
                FunctionCallContent call => Count(call.Name) + Count(call.CallId) + Count(JsonSerializer.Serialize(call.Arguments)),
                FunctionResultContent result => Count(result.CallId) + Count(result.Result as string ?? JsonSerializer.Serialize(result.Result)),
                _ => 0,
            };
        }

        return total;
    }

    /// <summary>Tokens a whole conversation costs in a request, reply priming included.</summary>
    /// <param name="messages">The conversation.</param>
    public int Count(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return ReplyPriming + messages.Sum(Count);
    }

    /// <summary>Roughly the tokens the tool definitions of a request cost (names, descriptions and parameter schemas).</summary>
    /// <param name="options">The request options, if any.</param>
    public int CountTools(ChatOptions? options) =>
        options?.Tools?.OfType<AIFunctionDeclaration>().Sum(t => 8 + Count(t.Name) + Count(t.Description) + Count(t.JsonSchema.GetRawText())) ?? 0;
}
