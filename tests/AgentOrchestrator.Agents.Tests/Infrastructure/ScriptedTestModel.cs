using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Tests.Infrastructure;

/// <summary>
/// A model for orchestration tests: each turn has a script of steps, and each step decides the assistant's
/// message from what the model would see (earlier tool results included). The step is derived from the
/// conversation, never from call counts, so a repeated call gives the same answer.
/// </summary>
internal sealed class ScriptedTestModel(params Func<ModelView, ChatMessage>[][] turns) : IChatClient
{
    private int _calls;

    public int Calls => _calls;

    public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

    public static Func<ModelView, ChatMessage> Say(string text) => _ => new ChatMessage(ChatRole.Assistant, text);

    public static Func<ModelView, ChatMessage> Call(string tool, string arguments, string callId) => _ => CallMessage((tool, arguments, callId));

    public static ChatMessage CallMessage(params (string Tool, string Arguments, string CallId)[] calls) => new(
        ChatRole.Assistant,
        [.. calls.Select(c => (AIContent)new FunctionCallContent(c.CallId, c.Tool, JsonSerializer.Deserialize<Dictionary<string, object?>>(c.Arguments)))]);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        lock (Requests)
        {
            Requests.Add(list);
        }

        Interlocked.Increment(ref _calls);
        var view = new ModelView(list, options?.Tools?.Select(t => t.Name).ToList() ?? []);
        var script = turns[Math.Min(view.Turn, turns.Length) - 1];
        var step = script[Math.Min(view.Step, script.Length) - 1];
        return Task.FromResult(new ChatResponse(step(view))
        {
            ModelId = "scripted-test",
            Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20 },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

/// <summary>What the scripted model sees: the conversation, which turn and step it is, the latest tool results.</summary>
internal sealed record ModelView(IReadOnlyList<ChatMessage> Messages, IReadOnlyList<string> Tools)
{
    public int Turn => Messages.Count(m => m.Role == ChatRole.User);

    public int Step => Messages.SkipWhile((m, i) => i <= LastUserIndex).Count(m => m.Role == ChatRole.Assistant) + 1;

    private int LastUserIndex => Messages.Select((m, i) => (m, i)).Last(x => x.m.Role == ChatRole.User).i;

    /// <summary>The tool results the model got since its last message, by call id.</summary>
    public IReadOnlyDictionary<string, JsonElement> Results => Messages.SkipWhile((m, i) => i <= LastUserIndex)
        .SelectMany(m => m.Contents.OfType<FunctionResultContent>())
        .ToDictionary(r => r.CallId, r => JsonDocument.Parse(r.Result?.ToString() ?? "null").RootElement);

    public string Id(string callId, string property = "id") => Results[callId].GetProperty("result").GetProperty(property).GetString()!;
}
