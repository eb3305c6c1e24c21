using System.Collections.Concurrent;
using System.Globalization;
using AgentOrchestrator.Durable.Storage;
using Azure;
using Azure.Data.Tables;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>
/// The instance event log, in the instance's partition but outside the rows checkpoints write: a head row holding the
/// last visible sequence number, one row per record keyed by its number, and one row per dedupe key naming the record
/// that holds it. Every append rewrites the head under its ETag, so appends from any process are serialized on it
/// and never on the status row; readers read the head first and never past it.
/// </summary>
public sealed partial class AzureStorageDurableStore
{
    /// <summary>How long an append split over several transactions holds the log before another writer may take it over.</summary>
    private static readonly TimeSpan LogReservation = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan MaxLogBackoff = TimeSpan.FromMilliseconds(200);

    /// <summary>Row keys per "RowKey eq .. or .." query, to keep the request URL short.</summary>
    private const int KeysPerQuery = 16;

    /// <summary>The log heads this process wrote last, so the next append here needs no read when nobody else wrote since.</summary>
    private readonly ConcurrentDictionary<string, LogHead> _logHeads = new(StringComparer.Ordinal);

    /// <inheritdoc />
    /// <remarks>
    /// Usually one transaction: the head advanced under its ETag, the records and their dedupe rows. An append over 99
    /// rows or about 3 MiB is split: its first transaction reserves the log, later ones renew the reservation, and the
    /// last advances the head, so readers see all of it at once. A writer that dies part-way leaves rows beyond the
    /// head, which nobody reads and the next writer overwrites after the reservation lapses.
    /// </remarks>
    public async Task<IReadOnlyList<InstanceLogRecord>> AppendLogAsync(string instanceId, IReadOnlyList<InstanceLogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentNullException.ThrowIfNull(entries);
        var partition = TableKeys.Partition(instanceId);
        var rows = await LogRowsAsync(partition, entries, cancellationToken);
        var backoff = TimeSpan.FromMilliseconds(5);
        while (rows.Count > 0)
        {
            var head = _logHeads.TryGetValue(partition, out var cached) ? cached : await ReadLogHeadAsync(partition, cancellationToken);
            if (head.ReservedUntil > _time.GetUtcNow())
            {
                // Another writer is part-way through a split append: wait for its last transaction.
                _logHeads.TryRemove(partition, out _);
                await Task.Delay(backoff, _time, cancellationToken);
                backoff = backoff * 2 < MaxLogBackoff ? backoff * 2 : MaxLogBackoff;
                continue;
            }

            rows = await WithoutStoredKeysAsync(partition, rows, head.Last, cancellationToken);
            if (rows.Count == 0)
            {
                break;
            }

            try
            {
                return await WriteLogAsync(partition, head, rows, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
            {
                // The head moved since it was read (another append, a purge): read it again and number the records again.
                _logHeads.TryRemove(partition, out _);
            }
        }

        return [];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InstanceLogRecord>> ReadLogAsync(string instanceId, long afterSequence, int maxCount, string? kind = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var partition = TableKeys.Partition(instanceId);
        var after = Math.Max(afterSequence, 0);
        var head = await ReadLogHeadAsync(partition, cancellationToken);
        if (head.Last <= after)
        {
            return [];
        }

        // Rows past the head belong to an append not finished yet (or abandoned): never read them.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {TableKeys.Log(after)} and RowKey le {TableKeys.Log(head.Last)}");
        if (kind is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Kind eq {kind}");
        }

        var records = new List<InstanceLogRecord>();
        await foreach (var row in _clients.Instances.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(maxCount, 1000), cancellationToken: cancellationToken))
        {
            records.Add(new InstanceLogRecord(LogSequence(row), row.GetString("Kind")!, (await _codec.GetAsync(row, "Data", cancellationToken))!, row.Time("At")));
            if (records.Count >= maxCount)
            {
                break;
            }
        }

        return records;
    }

    /// <summary>The record rows of an append, not yet numbered; payloads too long for a row are already in blobs.</summary>
    private async Task<List<LogRow>> LogRowsAsync(string partition, IReadOnlyList<InstanceLogEntry> entries, CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<LogRow>(entries.Count);
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            if (entry.DedupeKey is { } key && !keys.Add(key))
            {
                continue; // The same key twice in one append: the first wins.
            }

            var row = new TableEntity(partition, TableKeys.LogHead) { ["Kind"] = entry.Kind };
            if (entry.DedupeKey is not null)
            {
                row["DedupeKey"] = entry.DedupeKey;
            }

            row.SetTime("At", entry.Timestamp);
            await _codec.SetAsync(row, "Data", entry.Data, cancellationToken);
            rows.Add(new LogRow(entry, row));
        }

        return rows;
    }

    /// <summary>
    /// Drops the entries whose dedupe key the log already holds: a key row naming a record at or below the head whose
    /// own key matches. A key row left by an abandoned append names a record past the head, or one rewritten since.
    /// </summary>
    private async Task<List<LogRow>> WithoutStoredKeysAsync(string partition, List<LogRow> rows, long last, CancellationToken cancellationToken)
    {
        var keyRows = rows.Where(r => r.Entry.DedupeKey is not null).Select(r => TableKeys.LogKey(r.Entry.DedupeKey!)).ToList();
        if (keyRows.Count == 0 || last == 0)
        {
            return rows;
        }

        var claims = new List<(long Sequence, string Key)>();
        await foreach (var row in QueryRowKeysAsync(partition, keyRows, cancellationToken))
        {
            if (row.GetInt64("Seq") is { } seq && seq <= last && row.GetString("Key") is { } key)
            {
                claims.Add((seq, key));
            }
        }

        if (claims.Count == 0)
        {
            return rows;
        }

        var recordKeys = new Dictionary<long, string?>();
        await foreach (var row in QueryRowKeysAsync(partition, [.. claims.Select(c => TableKeys.Log(c.Sequence)).Distinct(StringComparer.Ordinal)], cancellationToken))
        {
            recordKeys[LogSequence(row)] = row.GetString("DedupeKey");
        }

        var stored = claims.Where(c => recordKeys.GetValueOrDefault(c.Sequence) == c.Key).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        return [.. rows.Where(r => r.Entry.DedupeKey is null || !stored.Contains(r.Entry.DedupeKey))];
    }

    /// <summary>Numbers the records after the head and writes them, advancing the head in the last transaction.</summary>
    private async Task<IReadOnlyList<InstanceLogRecord>> WriteLogAsync(string partition, LogHead head, List<LogRow> rows, CancellationToken cancellationToken)
    {
        var records = new List<InstanceLogRecord>(rows.Count);
        var chunks = new List<List<TableTransactionAction>> { new() };
        long bytes = 0;
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            var seq = head.Last + 1 + index;
            row.Row.RowKey = TableKeys.Log(seq);
            // Upserts, not inserts: rows past the head may be left over from an abandoned append.
            List<TableEntity> entities = row.Entry.DedupeKey is { } key
                ? [row.Row, new TableEntity(partition, TableKeys.LogKey(key)) { ["Seq"] = seq, ["Key"] = key }]
                : [row.Row];
            var size = entities.Sum(EstimatedBytes);
            if (chunks[^1].Count + entities.Count > MaxBatch - 1 || (chunks[^1].Count > 0 && bytes + size > MaxTransactionBytes))
            {
                chunks.Add([]);
                bytes = 0;
            }

            chunks[^1].AddRange(entities.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)));
            bytes += size;
            records.Add(new InstanceLogRecord(seq, row.Entry.Kind, row.Entry.Data, row.Entry.Timestamp));
        }

        var last = head.Last + rows.Count;
        var current = head;
        for (var i = 0; i < chunks.Count; i++)
        {
            // Every transaction rewrites the head under the ETag the previous one left: if another writer took over a
            // lapsed reservation, the rest of this append fails and starts again instead of mixing with its records.
            var final = i == chunks.Count - 1;
            var headRow = LogHead.Row(partition, final ? last : head.Last, final ? null : _time.GetUtcNow() + LogReservation);
            var actions = new List<TableTransactionAction>(chunks[i].Count + 1)
            {
                current.Exists ? new(TableTransactionActionType.UpdateReplace, headRow, current.ETag) : new(TableTransactionActionType.Add, headRow),
            };
            actions.AddRange(chunks[i]);
            var responses = (await _clients.Instances.SubmitTransactionAsync(actions, cancellationToken)).Value;
            current = new LogHead(true, headRow.GetInt64("Last") ?? 0, headRow.Time("ReservedUntil"), responses[0].Headers.ETag ?? ETag.All);
        }

        if (_logHeads.Count >= MaxCachedStatuses)
        {
            _logHeads.Clear();
        }

        _logHeads[partition] = current;
        return records;
    }

    private async Task<LogHead> ReadLogHeadAsync(string partition, CancellationToken cancellationToken)
    {
        var response = await _clients.Instances.GetEntityIfExistsAsync<TableEntity>(partition, TableKeys.LogHead, cancellationToken: cancellationToken);
        return response.HasValue ? LogHead.From(response.Value!) : LogHead.None;
    }

    /// <summary>The rows of one partition with the given keys, <see cref="KeysPerQuery"/> keys per request.</summary>
    private async IAsyncEnumerable<TableEntity> QueryRowKeysAsync(
        string partition, IReadOnlyList<string> rowKeys, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var chunk in rowKeys.Chunk(KeysPerQuery))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
                + " and (" + string.Join(" or ", chunk.Select(k => TableClient.CreateQueryFilter($"RowKey eq {k}"))) + ")";
            await foreach (var row in _clients.Instances.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                yield return row;
            }
        }
    }

    /// <summary>The event-log rows of a partition (dedupe keys, head, records), keys and ETags only.</summary>
    private async Task<List<TableEntity>> ReadLogRowsAsync(string partition, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in _clients.Instances.QueryAsync<TableEntity>(
            Range(partition, TableKeys.LogKeyPrefix, TableKeys.InboxPrefix), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static long LogSequence(TableEntity row) => long.Parse(row.RowKey.AsSpan(TableKeys.LogHead.Length), CultureInfo.InvariantCulture);

    /// <summary>An entry to append and its record row.</summary>
    private sealed record LogRow(InstanceLogEntry Entry, TableEntity Row);
}
