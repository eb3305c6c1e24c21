namespace AgentOrchestrator.Durable.Sqlite;

/// <summary>Where the SQLite store keeps its file and how durable each commit is.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file. Default <c>agentorchestrator.db</c> in the working directory. Several worker
    /// processes may share one file.</summary>
    public string DatabasePath { get; set; } = "agentorchestrator.db";

    /// <summary>
    /// SQLite's <c>synchronous</c> setting in WAL mode. Default <see cref="SqliteSynchronousMode.Full"/>: every commit
    /// survives power loss. <see cref="SqliteSynchronousMode.Normal"/> still survives a killed process but may lose the
    /// last commits on power loss.
    /// </summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>
    /// SQLite's <c>wal_autocheckpoint</c> for the store's writer: the write-ahead log is copied back into the database
    /// file, inside a commit, once it holds this many pages. Default 10,000 (about 40 MB with 4 KB pages), ten times
    /// SQLite's default: a checkpoint rewrites each changed page once however often it changed, and a store's rows
    /// (instance status, its newest history and log pages) change on every step, so fewer checkpoints write and fsync
    /// much less. At least 100.
    /// </summary>
    public int WalAutoCheckpointPages { get; set; } = 10_000;

    /// <summary>How long a writer waits for another process's write lock before failing. Default 30 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Called once for the connection the store writes with, after its pragmas are set: a place to register
    /// SQLite functions or hooks (the crash tests use it to kill a worker in the middle of a commit). Default none.
    /// </summary>
    public Action<Microsoft.Data.Sqlite.SqliteConnection>? ConnectionOpened { get; set; }

    /// <summary>Checks the options and names the first bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            throw new ArgumentException("SqliteStoreOptions.DatabasePath must name a file.", nameof(DatabasePath));
        }

        if (WalAutoCheckpointPages < 100)
        {
            throw new ArgumentException(
                $"SqliteStoreOptions.WalAutoCheckpointPages must be at least 100 (got {WalAutoCheckpointPages}).", nameof(WalAutoCheckpointPages));
        }

        if (BusyTimeout < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("SqliteStoreOptions.BusyTimeout must be at least 1 second.", nameof(BusyTimeout));
        }
    }
}
