using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>Small helpers for binding parameters and reading columns.</summary>
internal static class SqliteCommandExtensions
{
    /// <summary>Adds a parameter; <see langword="null"/> binds SQL NULL.</summary>
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>Sets an added parameter's value; <see langword="null"/> binds SQL NULL.</summary>
    public static void Set(this SqliteCommand command, string name, object? value) => command.Parameters[name].Value = value ?? DBNull.Value;

    /// <summary>The column as a string, or <see langword="null"/> for SQL NULL.</summary>
    public static string? NullableString(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>The column as a long, or <see langword="null"/> for SQL NULL.</summary>
    public static long? NullableInt64(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    /// <summary>Runs the command and returns the first column of every row as strings.</summary>
    public static List<string> ReadStrings(this SqliteCommand command)
    {
        var values = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
