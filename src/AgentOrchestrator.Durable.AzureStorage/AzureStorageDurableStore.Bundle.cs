using System.Globalization;
using System.Text.Json;
using AgentOrchestrator.Durable.Storage;
using Azure;
using Azure.Data.Tables;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>
/// The overflow path for checkpoints too large for one entity-group transaction. The status row, the history row,
/// the consumed messages and one bundle row commit atomically; the bundle is then expanded in transactions of up to
/// 100 rows, each also advancing (or, last, deleting) the bundle row, so a crash mid-way resumes where it stopped
/// and never re-adds a task that already ran.
/// </summary>
public sealed partial class AzureStorageDurableStore
{
    private const long MaxTransactionBytes = 3L * 1024 * 1024;
    private const string BundleKind = "bundle";

    private static bool FitsOneTransaction(int entities, IEnumerable<TableEntity> rows)
        => entities <= MaxBatch && rows.Sum(EstimatedBytes) <= MaxTransactionBytes;

    /// <summary>A generous estimate of a row's size on the wire.</summary>
    private static long EstimatedBytes(TableEntity entity)
        => 512 + entity.Sum(p => p.Key.Length + (p.Value is string s ? s.Length * 2L : 16));

    private async Task<CheckpointRows> BundleAsync(OrchestrationWorkItem item, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var bundle = new CheckpointBundle(
            item.InstanceId,
            checkpoint.ActivityTasks,
            checkpoint.Messages,
            checkpoint.NewInstances,
            [.. checkpoint.DeadLetters.Select(d => d with { InstanceId = item.InstanceId })]);
        var id = "~bundle-" + (item.Version + 1).ToString("D19", CultureInfo.InvariantCulture);
        var row = new TableEntity(TableKeys.Partition(item.InstanceId), TableKeys.Outbox(id)) { ["Kind"] = BundleKind, ["Done"] = 0 };
        await _codec.SetAsync(row, "Payload", JsonSerializer.Serialize(bundle, DataConverter.DefaultOptions), cancellationToken);
        var rows = new CheckpointRows { Bundled = true };
        rows.Outbox.Add(row);
        return rows;
    }

    private async Task ExpandBundleAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var json = await _codec.GetAsync(row, "Payload", cancellationToken);
        var bundle = JsonSerializer.Deserialize<CheckpointBundle>(json!, DataConverter.DefaultOptions)!;
        var self = bundle.Messages.Where(m => m.InstanceId == bundle.InstanceId).ToList();

        // Other instances first: delivery there is insert-if-absent.
        foreach (var message in bundle.Messages.Where(m => m.InstanceId != bundle.InstanceId))
        {
            if (await DeliverAsync(message, cancellationToken))
            {
                await WakeAsync(message.InstanceId, message.VisibleAt, cancellationToken);
            }
        }

        foreach (var child in bundle.Children)
        {
            try
            {
                await WriteNewInstanceAsync(child, new LockRange(), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                // It exists already and is left as it is.
            }

            await WakeAsync(child.InstanceId, child.StartAt, cancellationToken);
        }

        var local = new List<TableEntity>();
        foreach (var task in bundle.Tasks)
        {
            local.Add(await Rows.TaskAsync(_codec, task, cancellationToken));
        }

        foreach (var message in self)
        {
            local.Add(await Rows.InboxAsync(_codec, message, 0, NextSequence(), cancellationToken));
        }

        foreach (var letter in bundle.DeadLetters)
        {
            local.Add(await Rows.DeadLetterAsync(_codec, letter, cancellationToken));
        }

        if (!await WriteLocalChunksAsync(row, local, cancellationToken))
        {
            return; // Another worker expands it.
        }

        foreach (var task in bundle.Tasks)
        {
            await EnqueueTaskAsync(new TaskKey(bundle.InstanceId, task.Id), cancellationToken);
        }

        foreach (var message in self)
        {
            await WakeAsync(bundle.InstanceId, message.VisibleAt, cancellationToken);
        }
    }

    /// <returns>False when the bundle row changed under us (someone else is expanding it).</returns>
    private async Task<bool> WriteLocalChunksAsync(TableEntity bundle, List<TableEntity> local, CancellationToken cancellationToken)
    {
        var chunks = local.Chunk(MaxBatch - 1).Select(c => c.ToList()).ToList();
        if (chunks.Count == 0)
        {
            chunks.Add([]);
        }

        var etag = bundle.ETag;
        for (var i = bundle.GetInt32("Done") ?? 0; i < chunks.Count; i++)
        {
            var last = i == chunks.Count - 1;
            var rows = chunks[i];
            while (true)
            {
                var actions = rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)).ToList();
                actions.Add(last
                    ? new TableTransactionAction(TableTransactionActionType.Delete, bundle, etag)
                    : new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(bundle.PartitionKey, bundle.RowKey) { ["Done"] = i + 1 }, etag));
                try
                {
                    var responses = (await _clients.Instances.SubmitTransactionAsync(actions, cancellationToken)).Value;
                    etag = responses[^1].Headers.ETag ?? etag;
                    break;
                }
                catch (TableTransactionFailedException e) when (e.Status == 409 && e.FailedTransactionActionIndex is { } index && index < rows.Count)
                {
                    rows.RemoveAt(index); // There already: insert-if-absent.
                }
                catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
