using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.CrashWorker;

/// <summary>Wraps the model and kills the process at the plan's <see cref="KillPoint.Model"/> moment: the answer has streamed, the worker has not recorded it.</summary>
internal sealed class KillingChatClient(IChatClient inner, KillSwitch kill) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        KillIfDue();
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
        }

        KillIfDue();
    }

    private void KillIfDue()
    {
        if (kill.IsDue(KillPoint.Model, tool: null))
        {
            kill.Kill(KillPoint.Model, "after the model answered");
        }
    }
}
