using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Durable.Sqlite;

/// <summary>Small helpers for parameterized commands.</summary>
internal static class SqliteExtensions
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Runs statements that return nothing (schema, pragmas) on a plain connection.</summary>
    public static void Execute(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.Command(sql, transaction);
        command.ExecuteNonQuery();
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static void Set(this SqliteCommand command, string name, object? value) => command.Parameters[name].Value = value ?? DBNull.Value;

    public static long Ticks(this DateTimeOffset time) => time.UtcTicks;

    public static DateTimeOffset ToTime(this long ticks) => new(ticks, TimeSpan.Zero);

    public static string? NullableString(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? NullableInt64(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
