using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Model;

/// <summary>
/// An offline, deterministic stand-in for a language model, for the demo, tests and benchmarks: no network, no latency.
/// The answer is a pure function of the conversation, so an activity that runs twice gets the same answer.
/// With a script, the answer is step N of it, N being the number of assistant messages in the conversation so far.
/// Without one, it plays the demo: asked to "create a contact for Ada Lovelace ada@example.com and charge 42 EUR" it calls
/// the CRM and billing tools in order, then sums up the results, failures and roll-backs in plain text.
/// Streamed, text arrives in several deltas.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    /// <summary>The deployment name answers from this model report.</summary>
    public const string DeploymentName = "scripted";

    /// <summary>The model id answers from this model report.</summary>
    public const string ModelName = "scripted-demo-1";

    private static readonly ChatClientMetadata Metadata = new("scripted", null, ModelName);
    private readonly IReadOnlyList<ScriptedStep>? _script;

    /// <summary>Creates the model with the built-in demo behaviour.</summary>
    public ScriptedChatClient()
        : this(null)
    {
    }

    /// <summary>Creates the model playing <paramref name="script"/>, or the demo when it is null.</summary>
    /// <param name="script">The answers, in order.</param>
    public ScriptedChatClient(IReadOnlyList<ScriptedStep>? script)
    {
        _script = script;
    }

    /// <summary>The answer the model gives to <paramref name="conversation"/>.</summary>
    /// <param name="conversation">The conversation so far.</param>
    /// <exception cref="InvalidOperationException">The script has no step left for this conversation.</exception>
    public ScriptedStep NextStep(IReadOnlyList<ChatMessage> conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (_script is null)
        {
            return ScriptedDemoModel.Decide(conversation);
        }

        var index = conversation.Count(m => m.Role == ChatRole.Assistant);
        return index < _script.Count
            ? _script[index]
            : throw new InvalidOperationException(
                $"The scripted model's script has {_script.Count} step(s) and the conversation already holds {index} assistant answer(s).");
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var step = NextStep(conversation);
        var id = ResponseId(conversation);
        var contents = new List<AIContent>();
        if (step.Text is not null)
        {
            contents.Add(new TextContent(step.Text));
        }

        contents.AddRange(Calls(step, id));
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, contents) { MessageId = id })
        {
            ResponseId = id,
            ModelId = ModelName,
            FinishReason = step.ToolCalls.Count > 0 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            Usage = Usage(conversation, step),
        };
        return Task.FromResult(response);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        var message = response.Messages[0];
        var text = message.Text;
        // A few words per delta, so a client sees the answer grow.
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i += 3)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var piece = string.Join(' ', words.Skip(i).Take(3)) + (i + 3 < words.Length ? " " : string.Empty);
            yield return Update(response, [new TextContent(piece)]);
        }

        var calls = message.Contents.OfType<FunctionCallContent>().ToList<AIContent>();
        if (calls.Count > 0)
        {
            yield return Update(response, calls);
        }

        var last = Update(response, [new UsageContent(response.Usage!)]);
        last.FinishReason = response.FinishReason;
        yield return last;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static ChatResponseUpdate Update(ChatResponse response, IList<AIContent> contents) => new(ChatRole.Assistant, contents)
    {
        ResponseId = response.ResponseId,
        MessageId = response.ResponseId,
        ModelId = response.ModelId,
    };

    private static IEnumerable<FunctionCallContent> Calls(ScriptedStep step, string responseId) =>
        step.ToolCalls.Select((call, i) => new FunctionCallContent(
            $"call_{responseId}_{i.ToString(CultureInfo.InvariantCulture)}",
            call.Name,
            JsonSerializer.Deserialize<Dictionary<string, object?>>(call.ArgumentsJson)));

    private static string ResponseId(IReadOnlyList<ChatMessage> conversation) =>
        "scr" + conversation.Count.ToString(CultureInfo.InvariantCulture);

    private static UsageDetails Usage(IReadOnlyList<ChatMessage> conversation, ScriptedStep step)
    {
        // About four characters a token: cheap, deterministic and close enough for the demo's cost figures.
        long input = conversation.Sum(m => 4 + (m.Text.Length / 4) + m.Contents.OfType<FunctionResultContent>().Sum(r => (r.Result?.ToString()?.Length ?? 0) / 4));
        long output = 1 + ((step.Text?.Length ?? 0) / 4) + step.ToolCalls.Sum(c => 4 + (c.ArgumentsJson.Length / 4));
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }
}
