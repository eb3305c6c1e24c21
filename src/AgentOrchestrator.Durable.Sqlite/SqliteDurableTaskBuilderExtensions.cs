namespace AgentOrchestrator.Durable.Sqlite;

/// <summary>Chooses the SQLite store for the durable engine.</summary>
public static class SqliteDurableTaskBuilderExtensions
{
    /// <summary>Uses the embedded SQLite store over the file the options name.</summary>
    public static DurableTaskBuilder UseSqliteStore(this DurableTaskBuilder builder, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SqliteStoreOptions();
        configure?.Invoke(options);
        options.Validate();
        return builder.UseStore(_ => new SqliteDurableStore(options));
    }
}
