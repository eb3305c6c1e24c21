using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// An open connection that keeps one command per SQL text, prepared on first use and reused: preparing (parsing and
/// planning) a statement costs more than running the small ones the service uses. Used by one thread at a time; disposing
/// it releases the statements and closes the connection.
/// </summary>
internal sealed class PreparedConnection : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>Opens a connection, runs <paramref name="pragmas"/> on it, then hands it to <paramref name="opened"/>, if any.</summary>
    public PreparedConnection(string connectionString, string pragmas, Action<SqliteConnection>? opened = null)
    {
        Connection = new SqliteConnection(connectionString);
        try
        {
            Connection.Open();
            using var command = Connection.CreateCommand();
            command.CommandText = pragmas;
            command.ExecuteNonQuery();
            opened?.Invoke(Connection);
        }
        catch
        {
            Connection.Dispose();
            throw;
        }
    }

    /// <summary>The open connection.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>The kept command for this SQL, its parameters cleared and enlisted in <paramref name="transaction"/>.</summary>
    public SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Parameters.Clear();
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Runs statements that return nothing, once, without keeping them.</summary>
    public void Execute(string sql, SqliteTransaction? transaction = null)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }
}
