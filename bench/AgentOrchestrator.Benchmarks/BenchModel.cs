using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Benchmarks;

/// <summary>A zero-latency model: each turn asks for <paramref name="tools"/> effect calls, then answers.</summary>
public sealed class BenchModel(int tools) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        var turn = list.Count(m => m.Role == ChatRole.User);
        var message = list[^1].Role == ChatRole.Tool
            ? new ChatMessage(ChatRole.Assistant, $"Turn {turn} done.")
            : new ChatMessage(ChatRole.Assistant, [.. Enumerable.Range(0, tools).Select(i => (AIContent)new FunctionCallContent($"t{turn}c{i}", "bench_step", new Dictionary<string, object?> { ["n"] = i }))]);
        return Task.FromResult(new ChatResponse(message) { Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 } });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
