using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>The group transaction as an operation sees it: kept, prepared commands enlisted in it.</summary>
internal readonly struct WriteScope(PreparedConnection connection, SqliteTransaction transaction)
{
    /// <summary>The kept command for this SQL, its parameters cleared, in the group transaction.</summary>
    public SqliteCommand Command(string sql) => connection.Command(sql, transaction);
}
