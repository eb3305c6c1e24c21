using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.AzureStorage.Tests;

public sealed class AzureStorageStoreConformanceTests : StoreConformanceTests, IAsyncLifetime
{
    private readonly StoreTracker _stores = new();

    /// <summary>The log has its own head row and ETag: a checkpoint's entries are appended just before its transaction.</summary>
    protected override bool CheckpointLogIsAtomic => false;

    protected override Task<IDurableStore> CreateStoreAsync() => _stores.CreateAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();
}

public sealed class AzureStorageEngineConformanceTests : EngineConformanceTests, IAsyncLifetime
{
    private readonly StoreTracker _stores = new();

    protected override Task<IDurableStore> CreateStoreAsync() => _stores.CreateAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();
}

public sealed class AzureStorageHandoffConformanceTests : HandoffConformanceTests, IAsyncLifetime
{
    private readonly StoreTracker _stores = new();

    protected override Task<IDurableStore> CreateStoreAsync() => _stores.CreateAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _stores.DisposeAsync().AsTask();
}
