using System.Globalization;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>The tables, queues and containers of one task hub.</summary>
internal sealed class StorageClients
{
    public StorageClients(AzureStorageStoreOptions options)
    {
        var tableOptions = new TableClientOptions();
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var blobOptions = new BlobClientOptions();
        foreach (var policy in options.PipelinePolicies)
        {
            tableOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            queueOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            blobOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        var tables = new TableServiceClient(options.ConnectionString, tableOptions);
        var queues = new QueueServiceClient(options.ConnectionString, queueOptions);
        var blobs = new BlobServiceClient(options.ConnectionString, blobOptions);
        var hub = options.LowerHub;
        Instances = tables.GetTableClient($"{options.HubName}Instances");
        Control = [.. Enumerable.Range(0, options.PartitionCount).Select(p => queues.GetQueueClient($"{hub}-control-{p.ToString("D2", CultureInfo.InvariantCulture)}"))];
        WorkItems = queues.GetQueueClient($"{hub}-workitems");
        Payloads = blobs.GetBlobContainerClient($"{hub}-payloads");
        Leases = blobs.GetBlobContainerClient($"{hub}-leases");
    }

    /// <summary>Status rows, histories, inboxes, outboxes, activity tasks and dead letters: one partition per instance.</summary>
    public TableClient Instances { get; }

    /// <summary>Wake-ups for instances, one queue per partition.</summary>
    public IReadOnlyList<QueueClient> Control { get; }

    /// <summary>Activity tasks waiting for any worker.</summary>
    public QueueClient WorkItems { get; }

    /// <summary>Payloads too large for a table row.</summary>
    public BlobContainerClient Payloads { get; }

    /// <summary>One blob per partition; its lease says which worker owns the partition.</summary>
    public BlobContainerClient Leases { get; }

    public static string LeaseBlobName(int partition) => $"control-{partition.ToString("D2", CultureInfo.InvariantCulture)}";

    public async Task CreateAllAsync(CancellationToken cancellationToken)
    {
        await Instances.CreateIfNotExistsAsync(cancellationToken);
        foreach (var queue in Control.Append(WorkItems))
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        await Payloads.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await Leases.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        for (var p = 0; p < Control.Count; p++)
        {
            try
            {
                await Leases.GetBlobClient(LeaseBlobName(p)).UploadAsync(BinaryData.FromString(string.Empty), overwrite: false, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Created by another worker, or leased already.
            }
        }
    }
}
