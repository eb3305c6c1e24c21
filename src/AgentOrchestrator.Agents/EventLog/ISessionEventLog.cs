namespace AgentOrchestrator.Agents.EventLog;

/// <summary>
/// A session's event log: an append-only, sequence-numbered record per session of what happened (token deltas, step
/// events, the transcript), kept beside the orchestration history but outside it. Clients stream it (SSE) and resume
/// after the last sequence they saw, also after a host restart or on another host. It never feeds replay.
/// </summary>
/// <remarks>
/// Sequence numbers start at 1 and grow by one per stored record, with no gaps. Activities run at least once, so every
/// entry carries a dedupe key: an entry whose key is already in the session's log is not stored again, which keeps a
/// repeated activity (or a retried write whose answer was lost) from adding anything twice.
/// </remarks>
public interface ISessionEventLog
{
    /// <summary>Appends entries in order, in one atomic write, skipping those whose dedupe key is already present.</summary>
    /// <returns>The records stored by this call, with their sequence numbers (skipped entries are not returned).</returns>
    Task<IReadOnlyList<SessionLogRecord>> AppendAsync(string sessionId, IReadOnlyList<SessionLogEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads up to <paramref name="maxCount"/> records with a sequence number above <paramref name="afterSequence"/>,
    /// oldest first; only those of <paramref name="kind"/> when it is given.
    /// </summary>
    Task<IReadOnlyList<SessionLogRecord>> ReadAsync(string sessionId, long afterSequence, int maxCount, string? kind = null, CancellationToken cancellationToken = default);

    /// <summary>The record stored under <paramref name="dedupeKey"/>, or null.</summary>
    Task<SessionLogRecord?> FindAsync(string sessionId, string dedupeKey, CancellationToken cancellationToken = default);

    /// <summary>Deletes a session's whole log (when the session is purged).</summary>
    Task DeleteAsync(string sessionId, CancellationToken cancellationToken = default);
}
