using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Tests.Infrastructure;

/// <summary>
/// A model whose <paramref name="hangOnCall"/>-th call hangs, ignoring cancellation, until the test lets it answer: as a
/// model endpoint that stops responding mid-turn.
/// </summary>
internal sealed class HangingModel(IChatClient inner, int hangOnCall) : DelegatingChatClient(inner)
{
    private int _calls;

    /// <summary>Completes when the hanging call has started.</summary>
    public TaskCompletionSource Hanging { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the hanging call answer.</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _calls) == hangOnCall)
        {
            Hanging.TrySetResult();
            await Release.Task;
        }

        return await base.GetResponseAsync(messages, options, cancellationToken);
    }

    /// <summary>Streams the answer of <see cref="GetResponseAsync"/>, so a streaming call hangs as well.</summary>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }
}
