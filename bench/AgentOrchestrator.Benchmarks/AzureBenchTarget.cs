using System.Globalization;
using AgentOrchestrator.Durable.AzureStorage;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Benchmarks;

/// <summary>
/// The Azure Storage store on a fresh task hub (Azurite: run <c>scripts/azurite.sh start</c> and
/// <c>source scripts/azurite.env</c> first). The worker and the client use separate store instances on the same hub,
/// as separate processes would, each with its own request counter; the baseline is one bare entity-group transaction.
/// </summary>
public sealed class AzureBenchTarget(string connectionString, int partitions) : IBenchTarget, IAsyncDisposable
{
    private readonly List<AzureStorageDurableStore> _stores = [];
    private StorageRequestCounter _worker = new();
    private StorageRequestCounter _client = new();

    public string Name => "azure";

    public async Task<IDurableStore> CreateStoreAsync()
    {
        _worker = new StorageRequestCounter();
        _client = new StorageRequestCounter();
        var hub = "bench" + Guid.NewGuid().ToString("N")[..16];
        var worker = Create(hub, _worker);
        var client = Create(hub, _client);
        await worker.InitializeAsync();
        await client.InitializeAsync();
        return new SplitStore(worker, client);
    }

    public Task<double> BaselineCommitMsP50Async() => AzureBaseline.TransactionMsP50Async(connectionString);

    public string ExtraFigures(long steps) => string.Create(CultureInfo.InvariantCulture,
        $"storage_ops_per_step={_worker.Total / (double)steps:F2} worker_ops={_worker.Total} worker_ops_by_service={_worker.ByService} "
        + $"client_ops_per_step={_client.Total / (double)steps:F2} partitions={partitions}");

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    private AzureStorageDurableStore Create(string hub, StorageRequestCounter counter)
    {
        var options = new AzureStorageStoreOptions { ConnectionString = connectionString, HubName = hub, PartitionCount = partitions };
        options.PipelinePolicies.Add(counter);
        var store = new AzureStorageDurableStore(options);
        _stores.Add(store);
        return store;
    }
}
