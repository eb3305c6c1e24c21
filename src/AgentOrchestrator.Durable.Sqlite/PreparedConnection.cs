using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Durable.Sqlite;

/// <summary>
/// An open connection that keeps its commands by SQL text, each prepared once and reused: preparing (parsing and
/// planning) a statement costs more than running the small ones the store uses. Disposing it releases the commands and
/// closes the connection. Used by one thread at a time.
/// </summary>
internal sealed class PreparedConnection : IDisposable
{
    private readonly Dictionary<string, CachedCommand> _commands = new(StringComparer.Ordinal);

    public PreparedConnection(string connectionString)
    {
        Connection = new SqliteConnection(connectionString);
        Connection.Open();
    }

    public SqliteConnection Connection { get; }

    /// <summary>The cached command for this SQL with its parameters cleared; disposing it keeps it prepared.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = new CachedCommand { Connection = Connection, CommandText = sql };
            _commands[sql] = command;
        }

        command.Parameters.Clear();
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Release();
        }

        _commands.Clear();
        Connection.Dispose();
    }

    /// <summary>A command whose <c>using</c> does not throw its prepared statement away.</summary>
    private sealed class CachedCommand : SqliteCommand
    {
        public void Release() => base.Dispose(true);

        protected override void Dispose(bool disposing)
        {
            // Kept prepared for the next call; released with the connection.
        }
    }
}
