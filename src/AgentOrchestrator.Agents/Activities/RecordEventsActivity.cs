using AgentOrchestrator.Durable;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>Records events the orchestration produced (its log entries carry dedupe keys, so a repeat adds nothing).</summary>
internal sealed class RecordEventsActivity(SessionEventWriter writer) : TaskActivity<RecordEventsInput, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, RecordEventsInput? input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        await writer.AppendAsync(input.SessionId, input.Events, cancellationToken).ConfigureAwait(false);
        return input.Events.Count;
    }
}
