using AgentOrchestrator.Agents.EventLog;
using Microsoft.DurableTask;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>
/// Writes the events the orchestration decided when no other activity is about to carry them (before it waits for a
/// person, between turns, at the end). Their dedupe keys are fixed by the orchestration, so a repeat writes nothing.
/// </summary>
internal sealed class RecordEventsActivity(SessionEventWriter events) : TaskActivity<RecordEventsInput, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, RecordEventsInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await events.AppendAsync(input.SessionId, input.Events).ConfigureAwait(false);
        return input.Events.Count;
    }
}
