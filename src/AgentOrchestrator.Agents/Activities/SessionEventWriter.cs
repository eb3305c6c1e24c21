using AgentOrchestrator.Agents.EventLog;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>Appends to a session's event log and wakes this process's readers.</summary>
internal sealed class SessionEventWriter(ISessionEventLog log, SessionEventNotifier notifier, TimeProvider time)
{
    public async Task AppendAsync(string sessionId, IReadOnlyList<SessionLogEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await log.AppendAsync(sessionId, entries, cancellationToken).ConfigureAwait(false);
        notifier.Appended(sessionId);
    }

    public SessionLogEntry Entry(string kind, object data, string dedupeKey)
        => new(kind, SessionJson.Serialize(data), time.GetUtcNow(), dedupeKey);
}
