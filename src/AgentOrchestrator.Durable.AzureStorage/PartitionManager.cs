using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>
/// Gives this process a fair share of the control-queue partitions through blob leases. Every round it renews its
/// leases and its heartbeat, counts the live workers (heartbeats younger than one lease period), releases
/// partitions above its share and acquires free ones below it, then sweeps its partitions. A killed worker's leases
/// expire after one lease period and its heartbeat ages out, so the others take its partitions over in the next round.
/// </summary>
internal sealed class PartitionManager(
    StorageClients clients,
    AzureStorageStoreOptions options,
    TimeProvider time,
    ILogger logger,
    Func<IReadOnlyCollection<int>, CancellationToken, Task> sweep) : IAsyncDisposable
{
    private const string WorkersPartition = "~workers";
    private readonly ConcurrentDictionary<int, BlobLeaseClient> _owned = new();
    private readonly string _leaseId = Guid.NewGuid().ToString();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Task? _loop;
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;
    private int _disposed;

    /// <summary>Raised when the set of owned partitions changes.</summary>
    public event EventHandler? Changed;

    public IReadOnlyCollection<int> Owned => [.. _owned.Keys.Order()];

    public bool Owns(int partition) => _owned.ContainsKey(partition);

    /// <summary>Runs the first round now (so a lone worker owns every partition before it polls), then keeps running rounds.</summary>
    public async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _loop) is not null)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_loop is null)
            {
                await RunRoundAsync(cancellationToken);
                _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        foreach (var (partition, lease) in _owned)
        {
            try
            {
                await lease.ReleaseAsync();
            }
            catch (RequestFailedException)
            {
                // It expires by itself.
            }

            _owned.TryRemove(partition, out _);
        }

        if (_loop is not null)
        {
            try
            {
                await clients.Instances.DeleteEntityAsync(WorkersPartition, "w" + options.OwnerId, ETag.All);
            }
            catch (RequestFailedException)
            {
                // It ages out by itself.
            }
        }

        _stop.Dispose();
        _gate.Dispose();
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.LeaseRenewInterval, time, stopping);
                await RunRoundAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.PartitionMaintenanceFailed(options.HubName, e);
            }
        }
    }

    private async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var heartbeat = new TableEntity(WorkersPartition, "w" + options.OwnerId) { ["SeenAtTicks"] = now.UtcTicks };
        await clients.Instances.UpsertEntityAsync(heartbeat, TableUpdateMode.Replace, cancellationToken);
        var alive = 0;
        var since = (now - options.LeaseDuration).UtcTicks;
        await foreach (var _ in clients.Instances.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {WorkersPartition} and SeenAtTicks ge {since}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            alive++;
        }

        var fairShare = (int)Math.Ceiling(options.PartitionCount / (double)Math.Max(alive, 1));
        var changed = false;
        foreach (var (partition, lease) in _owned)
        {
            try
            {
                await lease.RenewAsync(cancellationToken: cancellationToken);
            }
            catch (RequestFailedException)
            {
                _owned.TryRemove(partition, out _);
                logger.PartitionLost(options.OwnerId, partition, options.HubName);
                changed = true;
            }
        }

        foreach (var partition in _owned.Keys.Order().Skip(fairShare).ToList())
        {
            if (_owned.TryRemove(partition, out var lease))
            {
                await ReleaseQuietlyAsync(lease, cancellationToken);
                logger.PartitionReleased(options.OwnerId, partition, options.HubName);
                changed = true;
            }
        }

        for (var partition = 0; partition < options.PartitionCount && _owned.Count < fairShare; partition++)
        {
            if (_owned.ContainsKey(partition))
            {
                continue;
            }

            var lease = clients.Leases.GetBlobClient(StorageClients.LeaseBlobName(partition)).GetBlobLeaseClient(_leaseId);
            try
            {
                await lease.AcquireAsync(options.LeaseDuration, cancellationToken: cancellationToken);
                _owned[partition] = lease;
                logger.PartitionAcquired(options.OwnerId, partition, options.HubName);
                changed = true;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Leased by another worker.
            }
        }

        if (changed)
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }

        if (changed || now - _lastSweep >= options.SweepInterval)
        {
            _lastSweep = now;
            await sweep(Owned, cancellationToken);
        }
    }

    private static async Task ReleaseQuietlyAsync(BlobLeaseClient lease, CancellationToken cancellationToken)
    {
        try
        {
            await lease.ReleaseAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException)
        {
            // It expires by itself.
        }
    }
}
