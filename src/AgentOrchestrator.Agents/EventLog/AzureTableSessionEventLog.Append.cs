using Azure;
using Azure.Data.Tables;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>Appending: numbering after the head, writing under its ETag, and starting again when another writer moved it.</summary>
public sealed partial class AzureTableSessionEventLog
{
    /// <summary>Actions in one entity-group transaction, the head's included.</summary>
    private const int MaxTransactionActions = 100;

    /// <summary>A transaction's body may hold 4 MiB; rows are counted generously (<see cref="WireBytes"/>), so this leaves room.</summary>
    private const long MaxTransactionWireBytes = 3_500_000;

    /// <summary>Row keys per "RowKey eq .. or .." query, to keep the request URL short.</summary>
    private const int KeysPerQuery = 16;

    private const int MaxCachedHeads = 10_000;

    private static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxWait = TimeSpan.FromMilliseconds(200);

    /// <inheritdoc />
    /// <exception cref="SessionEventLogUnavailableException">The store does not answer; the append may or may not be stored, and repeating it is safe.</exception>
    /// <exception cref="InvalidOperationException">Other writers moved the log's head first more than <see cref="AzureTableSessionEventLogOptions.MaxAppendConflicts"/> times.</exception>
    public Task<IReadOnlyList<SessionLogRecord>> AppendAsync(string sessionId, IReadOnlyList<SessionLogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            ArgumentNullException.ThrowIfNull(entry.Kind, nameof(entries));
            ArgumentNullException.ThrowIfNull(entry.Data, nameof(entries));
            ArgumentNullException.ThrowIfNull(entry.DedupeKey, nameof(entries));
            if (entry.Kind.Length > MaxKindChars || entry.DedupeKey.Length > MaxDedupeKeyChars)
            {
                throw new ArgumentException(
                    $"An entry's kind may have at most {MaxKindChars} characters and its dedupe key at most {MaxDedupeKeyChars} (kind '{entry.Kind[..Math.Min(entry.Kind.Length, 64)]}').",
                    nameof(entries));
            }
        }

        return entries.Count == 0
            ? Task.FromResult<IReadOnlyList<SessionLogRecord>>([])
            : GuardAsync(() => AppendCoreAsync(sessionId, entries, cancellationToken), cancellationToken);
    }

    private async Task<IReadOnlyList<SessionLogRecord>> AppendCoreAsync(string sessionId, IReadOnlyList<SessionLogEntry> entries, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var append = new SessionLogAppend(sessionId, entries, _payloads);
        IReadOnlyList<SessionLogRecord> records;
        using (await _appendLocks.EnterAsync(append.Partition, cancellationToken))
        {
            records = await AppendLockedAsync(append, cancellationToken);
        }

        // Only once the outcome is known: after a failure, a blob may belong to a record whose answer was lost.
        await DeleteUnusedBlobsAsync(append);
        return records;
    }

    private async Task<IReadOnlyList<SessionLogRecord>> AppendLockedAsync(SessionLogAppend append, CancellationToken cancellationToken)
    {
        // With payloads for blobs, look the keys up first: one query is cheaper than uploading megabytes for a duplicate.
        var checkKeys = append.Remaining.Any(i => i.Spills);
        var conflicts = 0;
        var wait = FirstWait;
        var takenOver = DateTimeOffset.MinValue;
        while (true)
        {
            var head = _heads.TryGetValue(append.Partition, out var cached) ? cached : await ReadHeadAsync(append.Partition, cancellationToken);
            var now = _time.GetUtcNow();
            if (head.IsReservedForOther(append.AppendId, now))
            {
                // Another writer is part-way through a split append: wait for its last part (or for its lease to lapse).
                // The pause is set before the line is logged, so a clock advanced on that line finds it waiting.
                _heads.TryRemove(append.Partition, out _);
                var pause = Task.Delay(wait, _time, cancellationToken);
                AzureTableSessionEventLogLogs.WaitingForSplitAppend(_logger, append.SessionId, head.ReservedUntil);
                await pause;
                wait = wait * 2 < MaxWait ? wait * 2 : MaxWait;
                continue;
            }

            if (head.Owner is not null && head.Owner != append.AppendId && head.ReservedUntil != takenOver)
            {
                takenOver = head.ReservedUntil;
                AzureTableSessionEventLogLogs.SplitAppendTakenOver(_logger, append.SessionId, head.ReservedUntil);
            }

            // An earlier attempt of this call wrote parts past the head: its dedupe rows are there, so look them up.
            checkKeys |= head.Owner == append.AppendId;
            if (checkKeys)
            {
                await DropStoredEntriesAsync(append, head, cancellationToken);
            }

            if (append.Remaining.Count == 0)
            {
                return append.Result([]);
            }

            var generation = head.Exists ? head.Generation : SessionLogTableKeys.NewGeneration();
            await UploadPayloadsAsync(append, generation, cancellationToken);
            try
            {
                return append.Result(await WriteAsync(append, head, generation, checkKeys, cancellationToken));
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
            {
                _heads.TryRemove(append.Partition, out _);
                if (!checkKeys && e.Status == 409 && (e as TableTransactionFailedException)?.FailedTransactionActionIndex is not 0)
                {
                    // A dedupe row the insert met: the key may be stored already (or left by an unfinished append).
                    // Look the keys up under a fresh head; this happens once per call, as keys are upserted from then on.
                    checkKeys = true;
                    continue;
                }

                // The head moved since it was read (another append, a delete): read it again and number again.
                if (++conflicts > _options.MaxAppendConflicts)
                {
                    throw new InvalidOperationException(
                        $"Appending to the event log of session '{append.SessionId}' found the log moved by other writers {conflicts} times; "
                        + "too many hosts append to this session at once.",
                        e);
                }

                AzureTableSessionEventLogLogs.AppendConflict(_logger, append.SessionId, e.Status, conflicts);
                if (conflicts > 1)
                {
                    // Spread writers that keep colliding.
                    var ceiling = Math.Min(MaxWait.TotalMilliseconds, FirstWait.TotalMilliseconds * (1 << Math.Min(conflicts, 10)));
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling), _time, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// Drops the entries whose dedupe key the log holds: a dedupe row naming a visible record whose own key matches.
    /// One an unfinished append left names a row past the head, or one a later writer has overwritten since.
    /// </summary>
    private async Task DropStoredEntriesAsync(SessionLogAppend append, SessionLogHead head, CancellationToken cancellationToken)
    {
        if (!head.Exists || head.Last == 0)
        {
            return;
        }

        var items = append.Remaining.ToDictionary(i => SessionLogTableKeys.Key(head.Generation, i.Key), StringComparer.Ordinal);
        var claims = new List<(SessionLogAppendItem Item, long Sequence, bool Ours)>();
        await foreach (var row in QueryRowsAsync(append.Partition, [.. items.Keys], ["RowKey", "Seq", "Key", "Append"], cancellationToken))
        {
            if (items.TryGetValue(row.RowKey, out var item) && row.GetString("Key") == item.Key && row.GetInt64("Seq") is { } sequence && sequence <= head.Last)
            {
                claims.Add((item, sequence, row.GetString("Append") == append.AppendId));
            }
        }

        if (claims.Count == 0)
        {
            return;
        }

        var recordKeys = new Dictionary<long, string?>();
        var recordRows = claims.Select(c => SessionLogTableKeys.Record(head.Generation, c.Sequence)).Distinct(StringComparer.Ordinal).ToList();
        await foreach (var row in QueryRowsAsync(append.Partition, recordRows, ["RowKey", "Key"], cancellationToken))
        {
            recordKeys[SessionLogTableKeys.Sequence(row.RowKey)] = row.GetString("Key");
        }

        var ours = 0;
        foreach (var (item, sequence, byThisAppend) in claims.Where(c => recordKeys.GetValueOrDefault(c.Sequence) == c.Item.Key))
        {
            append.Stored(item, sequence, byThisAppend);
            ours += byThisAppend ? 1 : 0;
        }

        if (ours > 0)
        {
            AzureTableSessionEventLogLogs.EarlierAttemptStored(_logger, append.SessionId, ours);
        }
    }

    /// <summary>Uploads the payloads too long for a row that have no blob for this generation yet.</summary>
    private async Task UploadPayloadsAsync(SessionLogAppend append, string generation, CancellationToken cancellationToken)
    {
        var missing = append.Remaining.Where(i => i.Spills && append.BlobOf(i, generation) is null).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var prefix = SessionLogTableKeys.BlobPrefix(append.Partition, generation);
        var names = missing.Select(i => $"{prefix}{append.AppendId}-{i.Index}").ToList();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, missing.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (i, ct) => await _payloads.UploadAsync(names[i], missing[i].Entry.Data, ct));
        for (var i = 0; i < missing.Count; i++)
        {
            append.Uploaded(missing[i], generation, names[i]);
        }
    }

    /// <summary>Numbers the remaining entries after the head and writes them, advancing the head in the last transaction.</summary>
    private async Task<IReadOnlyList<SessionLogRecord>> WriteAsync(
        SessionLogAppend append, SessionLogHead head, string generation, bool keysChecked, CancellationToken cancellationToken)
    {
        var partition = append.Partition;
        var records = new List<SessionLogRecord>(append.Remaining.Count);
        var chunks = new List<List<TableTransactionAction>> { new() };
        long bytes = 0;
        foreach (var item in append.Remaining)
        {
            var sequence = head.Last + 1 + records.Count;
            var record = RecordRow(append, item, generation, sequence);
            var key = new TableEntity(partition, SessionLogTableKeys.Key(generation, item.Key)) { ["Seq"] = sequence, ["Key"] = item.Key, ["Append"] = append.AppendId };
            var size = WireBytes(record) + WireBytes(key);
            if (chunks[^1].Count + 2 > MaxTransactionActions - 1 || (chunks[^1].Count > 0 && bytes + size > MaxTransactionWireBytes))
            {
                chunks.Add([]);
                bytes = 0;
            }

            // Records are upserted: rows past the head may be left by an unfinished append. Dedupe rows are inserted, so
            // the table refuses a key it holds, unless the keys were looked up under this head (leftovers are overwritten).
            chunks[^1].Add(new(TableTransactionActionType.UpsertReplace, record));
            chunks[^1].Add(new(keysChecked ? TableTransactionActionType.UpsertReplace : TableTransactionActionType.Add, key));
            bytes += size;
            records.Add(new SessionLogRecord(sequence, item.Entry.Kind, item.Entry.Data, item.Entry.Timestamp));
        }

        var current = head;
        for (var i = 0; i < chunks.Count; i++)
        {
            // Every part rewrites the head under the ETag the previous one left: if another writer took over a lapsed
            // reservation, the rest of this append fails and starts again instead of mixing with its records.
            var final = i == chunks.Count - 1;
            var row = final
                ? SessionLogHead.Row(partition, generation, head.Last + records.Count, null, null)
                : SessionLogHead.Row(partition, generation, head.Last, append.AppendId, _time.GetUtcNow() + _options.SplitAppendLease);
            var actions = new List<TableTransactionAction>(chunks[i].Count + 1)
            {
                current.Exists ? new(TableTransactionActionType.UpdateReplace, row, current.ETag) : new(TableTransactionActionType.Add, row),
            };
            actions.AddRange(chunks[i]);
            var responses = (await _table.SubmitTransactionAsync(actions, cancellationToken)).Value;
            current = responses[0].Headers.ETag is { } etag
                ? SessionLogHead.From(row) with { ETag = etag }
                : await ReadOwnHeadAsync(partition, row, final, cancellationToken);
        }

        if (current.Exists)
        {
            if (_heads.Count >= MaxCachedHeads)
            {
                _heads.Clear();
            }

            _heads[partition] = current;
        }

        return records;
    }

    /// <summary>The head just written, read back when the answer carried no ETag (none is assumed: that would overwrite blindly).</summary>
    private async Task<SessionLogHead> ReadOwnHeadAsync(string partition, TableEntity written, bool final, CancellationToken cancellationToken)
    {
        var head = await ReadHeadAsync(partition, cancellationToken);
        var expected = SessionLogHead.From(written);
        if (head.Exists && head.Generation == expected.Generation && head.Last == expected.Last && head.Owner == expected.Owner)
        {
            return head;
        }

        // Committed, but somebody wrote since: the last part is done anyway; an earlier one must start again.
        return final ? SessionLogHead.None : throw new RequestFailedException(412, "The event log's head moved while a split append wrote its parts.");
    }

    private static TableEntity RecordRow(SessionLogAppend append, SessionLogAppendItem item, string generation, long sequence)
    {
        var row = new TableEntity(append.Partition, SessionLogTableKeys.Record(generation, sequence))
        {
            ["Kind"] = item.Entry.Kind,
            ["Key"] = item.Key,
            ["AtTicks"] = item.Entry.Timestamp.UtcTicks,
            ["AtOffsetMinutes"] = (int)item.Entry.Timestamp.Offset.TotalMinutes,
        };
        if (item.Spills)
        {
            SessionLogPayloads.SetBlob(row, append.BlobOf(item, generation)!);
        }
        else
        {
            SessionLogPayloads.SetInline(row, item.Entry.Data);
        }

        return row;
    }

    /// <summary>
    /// A generous estimate of a row's size in a transaction's body: the client writes JSON that escapes every
    /// character outside printable ASCII (and a few inside it) as six bytes.
    /// </summary>
    private static long WireBytes(TableEntity entity)
    {
        long bytes = 600;
        foreach (var (name, value) in entity)
        {
            bytes += 32 + name.Length + (value is string text ? WireChars(text) : 32);
        }

        return bytes;
    }

    private static long WireChars(string text)
    {
        long bytes = text.Length;
        foreach (var c in text)
        {
            if (c is < ' ' or > '~' or '"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`')
            {
                bytes += 5;
            }
        }

        return bytes;
    }

    /// <summary>The rows of one partition with the given keys, <see cref="KeysPerQuery"/> keys per request.</summary>
    private async IAsyncEnumerable<TableEntity> QueryRowsAsync(
        string partition, IReadOnlyList<string> rowKeys, IEnumerable<string> select, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var chunk in rowKeys.Chunk(KeysPerQuery))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
                + " and (" + string.Join(" or ", chunk.Select(k => TableClient.CreateQueryFilter($"RowKey eq {k}"))) + ")";
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken))
            {
                yield return row;
            }
        }
    }

    /// <summary>Deletes the blobs the append uploaded but no record names; a failure only costs storage, so it is logged.</summary>
    private async Task DeleteUnusedBlobsAsync(SessionLogAppend append)
    {
        if (append.UnusedBlobs.Count == 0)
        {
            return;
        }

        try
        {
            await _payloads.DeleteAsync(append.UnusedBlobs, CancellationToken.None);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or IOException or HttpRequestException or OperationCanceledException)
        {
            AzureTableSessionEventLogLogs.UnusedBlobsKept(_logger, append.SessionId, append.UnusedBlobs.Count, e);
        }
    }
}
