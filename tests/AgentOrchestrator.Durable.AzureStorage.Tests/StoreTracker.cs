using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.AzureStorage.Tests;

/// <summary>Creates stores on fresh task hubs for one test and stops their partition maintenance afterwards.</summary>
internal sealed class StoreTracker : IAsyncDisposable
{
    private readonly List<AzureStorageDurableStore> _stores = [];

    public async Task<IDurableStore> CreateAsync(Action<AzureStorageStoreOptions>? configure = null, TimeProvider? time = null)
    {
        var options = Azurite.Options();
        configure?.Invoke(options);
        var store = new AzureStorageDurableStore(options, time);
        _stores.Add(store);
        await store.InitializeAsync();
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }
}
