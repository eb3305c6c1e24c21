using AgentOrchestrator.Durable.Sqlite;
using AgentOrchestrator.Durable.Storage;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Benchmarks;

/// <summary>The SQLite store in a temp folder; the baseline is one bare WAL transaction with the same synchronous mode.</summary>
public sealed class SqliteBenchTarget(SqliteSynchronousMode synchronous) : IBenchTarget
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentorch-bench-").FullName;

    public string Name => "sqlite";

    public async Task<IDurableStore> CreateStoreAsync()
    {
        var store = new SqliteDurableStore(new SqliteStoreOptions
        {
            DatabasePath = Path.Combine(_folder, $"durable-{Guid.NewGuid():N}.db"),
            Synchronous = synchronous,
        });
        await store.InitializeAsync();
        return store;
    }

    public Task<double> BaselineCommitMsP50Async() => Task.FromResult(SqliteBaseline.CommitMsP50(_folder, synchronous));

    public string ExtraFigures(long steps) => $"synchronous={synchronous.ToString().ToLowerInvariant()}";

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
