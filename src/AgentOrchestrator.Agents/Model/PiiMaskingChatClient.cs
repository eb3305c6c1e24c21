using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Model;

/// <summary>
/// Masks personal data in the conversation before it leaves for the model: message text, tool results and the string
/// values of earlier tool-call arguments. Works on copies; the caller's messages are left as they are.
/// </summary>
internal sealed class PiiMaskingChatClient : DelegatingChatClient
{
    private readonly PiiMasker _masker;

    public PiiMaskingChatClient(IChatClient inner, PiiMasker masker)
        : base(inner)
    {
        _masker = masker;
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(Mask(messages), options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(Mask(messages), options, cancellationToken);

    private List<ChatMessage> Mask(IEnumerable<ChatMessage> messages) => messages.Select(Mask).ToList();

    private ChatMessage Mask(ChatMessage message)
    {
        var copy = message.Clone();
        copy.Contents = message.Contents.Select(MaskContent).ToList();
        return copy;
    }

    private AIContent MaskContent(AIContent content) => content switch
    {
        TextContent text => new TextContent(_masker.Mask(text.Text ?? string.Empty)),
        FunctionResultContent result => new FunctionResultContent(result.CallId, MaskValue(result.Result)),
        FunctionCallContent call => new FunctionCallContent(call.CallId, call.Name,
            call.Arguments?.ToDictionary(a => a.Key, a => MaskValue(a.Value))),
        _ => content,
    };

    private object? MaskValue(object? value) => value switch
    {
        null => null,
        string s => _masker.Mask(s),
        JsonElement { ValueKind: JsonValueKind.String } e => _masker.Mask(e.GetString() ?? string.Empty),
        JsonElement e => MaskJson(e.GetRawText()),
        _ when value.GetType().IsPrimitive || value is decimal => value,
        _ => MaskJson(JsonSerializer.Serialize(value)),
    };

    private object MaskJson(string json)
    {
        var masked = _masker.Mask(json);
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(masked);
        }
        catch (JsonException)
        {
            // A masked bare number (a card number written as a JSON number) leaves no valid JSON; text will do.
            return masked;
        }
    }
}
