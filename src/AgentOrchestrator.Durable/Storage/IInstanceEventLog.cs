namespace AgentOrchestrator.Durable.Storage;

/// <summary>
/// An append-only, sequence-numbered log of events per instance that lives beside the orchestration
/// history but outside it: progress that readers stream (for example token deltas and step events),
/// written by activities and read from any worker. It never feeds replay.
/// </summary>
/// <remarks>
/// Sequence numbers start at 1 and grow by one per stored record, with no gaps, so a reader resumes
/// with "everything after N". Activities run at least once, so an entry may carry a dedupe key: an
/// entry whose key is already in the instance's log is not stored again. Purging or replacing the
/// instance deletes its log.
/// </remarks>
public interface IInstanceEventLog
{
    /// <summary>Appends entries in order, in one atomic write, skipping those whose dedupe key is already present.</summary>
    /// <returns>The records stored by this call, with their sequence numbers (skipped entries are not returned).</returns>
    Task<IReadOnlyList<InstanceLogRecord>> AppendLogAsync(string instanceId, IReadOnlyList<InstanceLogEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads up to <paramref name="maxCount"/> records with a sequence number above <paramref name="afterSequence"/>,
    /// oldest first; only those of <paramref name="kind"/> when it is given.
    /// </summary>
    Task<IReadOnlyList<InstanceLogRecord>> ReadLogAsync(string instanceId, long afterSequence, int maxCount, string? kind = null, CancellationToken cancellationToken = default);
}
