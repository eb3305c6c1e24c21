namespace AgentOrchestrator.Host.Storage;

/// <summary>The durable store's settings, bound from the <c>DurableTask</c> configuration section.</summary>
public sealed class HostStoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "DurableTask";

    /// <summary>Which store. Default <see cref="HostStoreKind.Sqlite"/>.</summary>
    public HostStoreKind Store { get; set; } = HostStoreKind.Sqlite;

    /// <summary>The SQLite settings.</summary>
    public SqliteSection Sqlite { get; set; } = new();

    /// <summary>SQLite settings.</summary>
    public sealed class SqliteSection
    {
        /// <summary>The database file, relative to the data folder. Default <c>sessions.db</c>.</summary>
        public string DatabaseFile { get; set; } = "sessions.db";
    }
}
