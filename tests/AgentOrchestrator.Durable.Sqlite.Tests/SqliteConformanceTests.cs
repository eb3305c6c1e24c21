using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.Sqlite.Tests;

public sealed class SqliteStoreConformanceTests : StoreConformanceTests, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    protected override async Task<IDurableStore> CreateStoreAsync() => await _database.CreateStoreAsync();

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteEngineConformanceTests : EngineConformanceTests, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    protected override async Task<IDurableStore> CreateStoreAsync() => await _database.CreateStoreAsync();

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteHandoffConformanceTests : HandoffConformanceTests, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    protected override async Task<IDurableStore> CreateStoreAsync() => await _database.CreateStoreAsync();

    public void Dispose() => _database.Dispose();
}

public sealed class SqliteDirectCompletionConformanceTests : DirectCompletionConformanceTests, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    protected override async Task<IDurableStore> CreateStoreAsync() => await _database.CreateStoreAsync();

    public void Dispose() => _database.Dispose();
}
