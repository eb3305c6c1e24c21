using AgentOrchestrator.Durable.Storage;
using Azure;
using Azure.Data.Tables;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>The read-mostly client operations that span instances: queries, purge and dead letters.</summary>
public sealed partial class AzureStorageDurableStore
{
    /// <inheritdoc />
    /// <remarks>Tables cannot sort across partitions, so every page scans the matching status rows and sorts them here.</remarks>
    public async Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var after = InstancePageToken.Parse(query.ContinuationToken);
        var rows = await ScanStatusRowsAsync(StatusFilter(query.Statuses, query.CreatedFrom, query.CreatedTo, query.Name), cancellationToken);
        var matches = rows
            .Where(row => query.InstanceIdPrefix is null || row.InstanceId.StartsWith(query.InstanceIdPrefix, StringComparison.Ordinal))
            .OrderBy(row => row.CreatedAt).ThenBy(row => row.InstanceId, StringComparer.Ordinal)
            .Where(row => after is null || InstancePageToken.IsAfter(row.CreatedAt, row.InstanceId, after.Value))
            .Take(query.PageSize + 1)
            .ToList();
        var page = new List<OrchestrationMetadata>();
        foreach (var row in matches.Take(query.PageSize))
        {
            page.Add(await row.ToMetadataAsync(_codec, cancellationToken));
        }

        var token = matches.Count > query.PageSize ? InstancePageToken.Format(page[^1].CreatedAt, page[^1].InstanceId) : null;
        return new InstancePage(page, token);
    }

    /// <inheritdoc />
    public async Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statuses = filter.Statuses?.Where(s => s.IsTerminal()).ToList() ?? [.. OrchestrationRuntimeStatusExtensions.TerminalStatuses];
        if (statuses.Count == 0)
        {
            return 0;
        }

        var rows = filter.InstanceId is { } id
            ? (await ReadStatusAsync(id, cancellationToken) is { } one && statuses.Contains(one.Status) ? [one] : [])
            : await ScanStatusRowsAsync(StatusFilter(statuses, filter.CreatedFrom, filter.CreatedTo, name: null), cancellationToken);
        var purged = 0;
        foreach (var row in rows)
        {
            try
            {
                // The status row goes first and only if unchanged: an instance restarted meanwhile is not purged.
                await _clients.Instances.DeleteEntityAsync(row.Entity.PartitionKey, TableKeys.Status, row.ETag, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                continue;
            }

            purged++;
            _statusCache.TryRemove(row.InstanceId, out _);
            await DeletePartitionAsync(row.Entity.PartitionKey, cancellationToken);
        }

        return purged;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? instanceId = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        var end = TableKeys.PrefixEnd(TableKeys.DeadLetterPrefix);
        var filter = instanceId is null
            ? TableClient.CreateQueryFilter($"RowKey ge {TableKeys.DeadLetterPrefix} and RowKey lt {end}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Partition(instanceId)} and RowKey ge {TableKeys.DeadLetterPrefix} and RowKey lt {end}");
        var letters = new List<DeadLetter>();
        await foreach (var entity in _clients.Instances.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            letters.Add(await Rows.ReadDeadLetterAsync(_codec, entity, cancellationToken));
            if (instanceId is not null && letters.Count >= limit)
            {
                break; // One partition's rows come newest first already.
            }
        }

        return [.. letters.OrderByDescending(l => l.DeadLetteredAt).Take(limit)];
    }

    private static string StatusFilter(IReadOnlyCollection<OrchestrationRuntimeStatus>? statuses, DateTimeOffset? from, DateTimeOffset? to, string? name)
    {
        var parts = new List<string> { TableClient.CreateQueryFilter($"RowKey eq {TableKeys.Status}") };
        if (statuses is { Count: > 0 })
        {
            parts.Add("(" + string.Join(" or ", statuses.Select(s => TableClient.CreateQueryFilter($"Status eq {(int)s}"))) + ")");
        }

        if (from is { } f)
        {
            parts.Add(TableClient.CreateQueryFilter($"CreatedAtTicks ge {f.UtcTicks}"));
        }

        if (to is { } t)
        {
            parts.Add(TableClient.CreateQueryFilter($"CreatedAtTicks lt {t.UtcTicks}"));
        }

        if (name is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"Name eq {name}"));
        }

        return string.Join(" and ", parts);
    }

    private async Task<List<StatusRow>> ScanStatusRowsAsync(string filter, CancellationToken cancellationToken)
    {
        var rows = new List<StatusRow>();
        await foreach (var entity in _clients.Instances.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(new StatusRow(entity));
        }

        return rows;
    }

    /// <summary>
    /// Deletes every row and payload blob of a partition, a transaction of up to 100 rows at a time. The event log's head
    /// goes first, so a reader sees an empty log rather than one with holes.
    /// </summary>
    private async Task DeletePartitionAsync(string partition, CancellationToken cancellationToken)
    {
        var keys = new List<TableEntity>();
        await foreach (var entity in _clients.Instances.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(entity);
        }

        await DeleteUnchangedRowsAsync([.. keys.OrderBy(e => e.RowKey == TableKeys.LogHead ? 0 : 1)], cancellationToken);
        _logHeads.TryRemove(partition, out _);
        await _codec.DeletePartitionAsync(partition, cancellationToken);
    }

    /// <summary>
    /// Deletes rows of one partition in transactions of up to 100, each row only if its ETag is the one read: a row
    /// rewritten since (an event-log record appended after the log was deleted) stays.
    /// </summary>
    private async Task DeleteUnchangedRowsAsync(IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(MaxBatch))
        {
            try
            {
                await _clients.Instances.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, e.ETag)), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
            {
                foreach (var row in chunk)
                {
                    try
                    {
                        await _clients.Instances.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
                    }
                    catch (RequestFailedException gone) when (gone.Status is 404 or 412)
                    {
                        // Deleted already, or rewritten since it was read.
                    }
                }
            }
        }
    }
}
