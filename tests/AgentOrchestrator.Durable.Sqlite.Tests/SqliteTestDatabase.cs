using AgentOrchestrator.Durable.Sqlite;

namespace AgentOrchestrator.Durable.Sqlite.Tests;

/// <summary>A fresh SQLite file in a temp folder, deleted with the folder.</summary>
internal sealed class SqliteTestDatabase : IDisposable
{
    public SqliteTestDatabase()
    {
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "agentorch-tests", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(Folder, "durable.db");

    public async Task<SqliteDurableStore> CreateStoreAsync()
    {
        var store = new SqliteDurableStore(new SqliteStoreOptions { DatabasePath = DatabasePath, Synchronous = SqliteSynchronousMode.Normal });
        await store.InitializeAsync();
        return store;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold the file briefly; the temp folder is cleaned by the OS.
        }
    }
}
