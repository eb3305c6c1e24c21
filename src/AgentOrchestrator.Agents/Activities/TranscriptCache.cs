using System.Collections.Concurrent;
using AgentOrchestrator.Agents.EventLog;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>
/// The parsed transcript of recent sessions, so a model call reads only the records appended since the last call in
/// this process instead of the whole conversation. The log is append-only with gap-free sequence numbers, so reading
/// after the last sequence seen gives exactly what a full read would add. Keyed by the session's incarnation as well as
/// its id, so a purged and re-created session starts from a full read.
/// </summary>
internal sealed class TranscriptCache(ISessionEventLog log)
{
    /// <summary>Executions kept; the least recently used are dropped beyond this.</summary>
    public const int Capacity = 512;

    private const int PageSize = 1000;
    private readonly ConcurrentDictionary<(string Session, string Incarnation), Entry> _entries = new();
    private long _clock;

    /// <summary>The session's whole transcript, oldest first.</summary>
    public async Task<IReadOnlyList<TranscriptMessage>> ReadAsync(string sessionId, string incarnation, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd((sessionId, incarnation), static _ => new Entry());
        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var page = await log.ReadAsync(sessionId, entry.LastSequence, PageSize, TranscriptBuilder.Kind, cancellationToken).ConfigureAwait(false);
                if (page.Count > 0)
                {
                    entry.Messages.AddRange(TranscriptBuilder.Parse(page));
                    entry.LastSequence = page[^1].Sequence;
                }

                if (page.Count < PageSize)
                {
                    break;
                }
            }

            entry.LastUsed = Interlocked.Increment(ref _clock);
            return [.. entry.Messages];
        }
        finally
        {
            entry.Gate.Release();
            Trim();
        }
    }

    private void Trim()
    {
        if (_entries.Count <= Capacity)
        {
            return;
        }

        // Drop the least recently used quarter; a dropped session just reads in full next time.
        foreach (var key in _entries.OrderBy(p => p.Value.LastUsed).Take(Capacity / 4).Select(p => p.Key).ToList())
        {
            _entries.TryRemove(key, out _);
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public List<TranscriptMessage> Messages { get; } = [];

        public long LastSequence { get; set; }

        public long LastUsed { get; set; }
    }
}
