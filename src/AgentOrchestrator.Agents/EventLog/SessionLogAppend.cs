namespace AgentOrchestrator.Agents.EventLog;

/// <summary>
/// One call of <see cref="AzureTableSessionEventLog.AppendAsync"/> across its attempts: the entries still to store, those
/// an earlier attempt of the same call stored (its answer lost), and the payload blobs it uploaded.
/// </summary>
internal sealed class SessionLogAppend
{
    private readonly Dictionary<int, (string Generation, string Name)> _blobs = [];

    public SessionLogAppend(string sessionId, IReadOnlyList<SessionLogEntry> entries, SessionLogPayloads payloads)
    {
        SessionId = sessionId;
        Partition = SessionLogTableKeys.Partition(sessionId);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            // The same key twice in one append: the first wins.
            if (keys.Add(entries[i].DedupeKey))
            {
                Remaining.Add(new SessionLogAppendItem(i, entries[i], SessionLogTableKeys.Escape(entries[i].DedupeKey), payloads.Spills(entries[i].Data)));
            }
        }
    }

    public string SessionId { get; }

    public string Partition { get; }

    /// <summary>Names this call in the rows it writes, so a later attempt recognizes what an earlier one stored.</summary>
    public string AppendId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The entries not known to be stored, in the caller's order.</summary>
    public List<SessionLogAppendItem> Remaining { get; } = [];

    /// <summary>Records an earlier attempt of this call stored.</summary>
    public List<SessionLogRecord> StoredEarlier { get; } = [];

    /// <summary>Uploaded blobs no record will name: for another generation of the log, or for an entry stored by another append.</summary>
    public List<string> UnusedBlobs { get; } = [];

    /// <summary>The blob holding <paramref name="item"/>'s payload for <paramref name="generation"/>, or null if not uploaded yet.</summary>
    public string? BlobOf(SessionLogAppendItem item, string generation)
        => _blobs.TryGetValue(item.Index, out var blob) && blob.Generation == generation ? blob.Name : null;

    /// <summary>Notes an uploaded payload blob; one uploaded for an earlier generation is no longer needed.</summary>
    public void Uploaded(SessionLogAppendItem item, string generation, string name)
    {
        if (_blobs.TryGetValue(item.Index, out var old))
        {
            UnusedBlobs.Add(old.Name);
        }

        _blobs[item.Index] = (generation, name);
    }

    /// <summary>Drops an entry whose key the log holds; stored by this call's earlier attempt, it is part of the result.</summary>
    public void Stored(SessionLogAppendItem item, long sequence, bool byThisAppend)
    {
        Remaining.Remove(item);
        if (byThisAppend)
        {
            StoredEarlier.Add(new SessionLogRecord(sequence, item.Entry.Kind, item.Entry.Data, item.Entry.Timestamp));
        }
        else if (_blobs.Remove(item.Index, out var blob))
        {
            UnusedBlobs.Add(blob.Name);
        }
    }

    /// <summary>What the call stored: the records of its earlier attempts and of the last, in log order.</summary>
    public IReadOnlyList<SessionLogRecord> Result(IReadOnlyList<SessionLogRecord> written) => [.. StoredEarlier.Concat(written).OrderBy(r => r.Sequence)];
}
