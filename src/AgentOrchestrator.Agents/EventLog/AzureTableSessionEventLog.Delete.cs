using Azure;
using Azure.Data.Tables;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>Deleting a session's log: the head first, so readers see an empty log, then the rest of its generation.</summary>
public sealed partial class AzureTableSessionEventLog
{
    /// <inheritdoc />
    /// <remarks>
    /// The head goes first: readers then see an empty log, and the next append starts a new generation whose rows never
    /// mix with the old ones. Then the old generations' records (newest first, so a reader that read the head just before
    /// sees a shorter log, never one with a hole), their dedupe rows and their payload blobs. An append racing the delete
    /// either lands before it (and is deleted) or starts the new log at 1.
    /// </remarks>
    /// <exception cref="SessionEventLogUnavailableException">The store does not answer; repeating the delete is safe.</exception>
    public Task DeleteAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return GuardAsync(
            async () =>
            {
                await DeleteCoreAsync(sessionId, cancellationToken);
                return true;
            },
            cancellationToken);
    }

    private async Task DeleteCoreAsync(string sessionId, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var partition = SessionLogTableKeys.Partition(sessionId);
        var generations = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var head = await ReadHeadAsync(partition, cancellationToken);
            if (!head.Exists)
            {
                break;
            }

            try
            {
                await _table.DeleteEntityAsync(partition, SessionLogTableKeys.Head, head.ETag, cancellationToken);
                generations.Add(head.Generation);
                break;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // An append moved the head (or another delete took it) since it was read: read it again.
            }
        }

        _heads.TryRemove(partition, out _);

        // Listed before the head is read again: a row of a generation started since can only be in the list if its head
        // existed by then, so that read sees it and keeps its rows.
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {SessionLogTableKeys.Head}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        var current = await ReadHeadAsync(partition, cancellationToken);
        var garbage = rows
            .Where(r => SessionLogTableKeys.GenerationOf(r.RowKey) is { } generation && !(current.Exists && generation == current.Generation))
            .OrderBy(r => r.RowKey.StartsWith(SessionLogTableKeys.RecordPrefix, StringComparison.Ordinal) ? 0 : 1)
            .ThenByDescending(r => r.RowKey, StringComparer.Ordinal)
            .ToList();
        generations.UnionWith(garbage.Select(r => SessionLogTableKeys.GenerationOf(r.RowKey)!));
        if (current.Exists)
        {
            generations.Remove(current.Generation);
        }

        await DeleteRowsAsync(garbage, cancellationToken);
        var blobs = 0;
        foreach (var generation in generations)
        {
            blobs += await _payloads.DeletePrefixAsync(SessionLogTableKeys.BlobPrefix(partition, generation), cancellationToken);
        }

        AzureTableSessionEventLogLogs.LogDeleted(_logger, sessionId, garbage.Count, blobs);
    }

    /// <summary>Deletes rows of one partition, 100 per transaction, in the given order; rows already gone are fine.</summary>
    private async Task DeleteRowsAsync(IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(MaxTransactionActions))
        {
            try
            {
                await _table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // Another delete got some of them first: the rest one by one.
                foreach (var row in chunk)
                {
                    await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                }
            }
        }
    }
}
