using AgentOrchestrator.Durable;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>Appends to a session's event log and wakes this process's readers.</summary>
internal sealed class SessionEventWriter(IInstanceEventLog log, InstanceLogNotifier notifier, TimeProvider time)
{
    public async Task AppendAsync(string sessionId, IReadOnlyList<InstanceLogEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await log.AppendLogAsync(sessionId, entries, cancellationToken).ConfigureAwait(false);
        notifier.Notify(sessionId);
    }

    public InstanceLogEntry Entry(string kind, object data, string? dedupeKey = null)
        => new(kind, DataConverter.Serialize(data)!, time.GetUtcNow(), dedupeKey);
}
