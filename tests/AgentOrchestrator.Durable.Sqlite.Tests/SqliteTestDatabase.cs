using AgentOrchestrator.Durable.Sqlite;
using Microsoft.Data.Sqlite;

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

    /// <summary>An open connection of the test's own, outside the store and its pool: it leaves no connection or snapshot behind.</summary>
    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    public async Task<SqliteDurableStore> CreateStoreAsync()
    {
        var store = new SqliteDurableStore(new SqliteStoreOptions { DatabasePath = DatabasePath, Synchronous = SqliteSynchronousMode.Normal });
        await store.InitializeAsync();
        return store;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
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
