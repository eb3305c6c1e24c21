using System.Globalization;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>Brings a file to <see cref="SqliteSchema.Version"/> in the write transaction that reads its version.</summary>
internal static class SchemaMigration
{
    private static readonly string[] OwnTables = ["instances", "instance_data", "history", "inbox", "tasks", "poison_messages"];

    /// <summary>Creates or upgrades the tables; returns the version found (0 for a new task hub) and whether it was created.</summary>
    /// <exception cref="InvalidOperationException">The file holds another task hub, a newer layout, or foreign tables with our names.</exception>
    public static (int From, bool Created) Apply(WriteScope scope, string taskHub, string path, long now)
    {
        if (scope.Command("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").ExecuteScalar() is null)
        {
            var clash = scope.Command("SELECT name FROM sqlite_master WHERE type = 'table'").ReadStrings().Intersect(OwnTables).ToList();
            if (clash.Count > 0)
            {
                throw new InvalidOperationException(
                    $"The SQLite file '{path}' already has tables named {string.Join(", ", clash)} but no schema_version: it was not written by "
                    + "AgentOrchestrator.DurableTask.Sqlite (perhaps by the retired AgentOrchestrator.Durable engine). Point DatabasePath at another file.");
            }

            scope.Command(SqliteSchema.Create).ExecuteNonQuery();
            scope.Command("INSERT INTO schema_version (version, task_hub, applied_at) VALUES ($v, $hub, $now)")
                .With("$v", SqliteSchema.Version).With("$hub", taskHub).With("$now", now).ExecuteNonQuery();
            return (0, true);
        }

        int version;
        string hub;
        using (var reader = scope.Command("SELECT version, task_hub FROM schema_version LIMIT 1").ExecuteReader())
        {
            if (!reader.Read())
            {
                throw new InvalidOperationException($"The SQLite file '{path}' has an empty schema_version table; it cannot be read safely.");
            }

            (version, hub) = (reader.GetInt32(0), reader.GetString(1));
        }

        if (!string.Equals(hub, taskHub, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The SQLite file '{path}' holds the task hub '{hub}', not '{taskHub}'. A file holds one task hub: use another file for this one.");
        }

        if (version > SqliteSchema.Version)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The SQLite file '{path}' has schema version {version}, written by a newer AgentOrchestrator.DurableTask.Sqlite; this one reads version {SqliteSchema.Version}."));
        }

        for (var from = version; from < SqliteSchema.Version; from++)
        {
            scope.Command(SqliteSchema.Upgrades[from - 1]).ExecuteNonQuery();
        }

        if (version < SqliteSchema.Version)
        {
            scope.Command("UPDATE schema_version SET version = $v, applied_at = $now").With("$v", SqliteSchema.Version).With("$now", now).ExecuteNonQuery();
        }

        return (version, false);
    }
}
