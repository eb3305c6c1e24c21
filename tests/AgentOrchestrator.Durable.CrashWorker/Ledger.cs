using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Durable.CrashWorker;

/// <summary>An append-only record of activity executions in its own SQLite file: what really ran, and how often.</summary>
public sealed class Ledger
{
    private readonly string _connectionString;

    /// <summary>Opens (and creates) the ledger file.</summary>
    public Ledger(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        using var create = connection.CreateCommand();
        create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS runs (instance_id TEXT, step INTEGER, phase TEXT, pid INTEGER);";
        create.ExecuteNonQuery();
    }

    /// <summary>Appends one row, durably, before returning.</summary>
    public void Record(string instanceId, int step, string phase)
    {
        using var connection = Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO runs VALUES ($i, $s, $p, $pid)";
        insert.Parameters.AddWithValue("$i", instanceId);
        insert.Parameters.AddWithValue("$s", step);
        insert.Parameters.AddWithValue("$p", phase);
        insert.Parameters.AddWithValue("$pid", Environment.ProcessId);
        insert.ExecuteNonQuery();
    }

    /// <summary>How many times each (instance, step) reached <paramref name="phase"/>.</summary>
    public Dictionary<(string Instance, int Step), int> Count(string phase)
    {
        using var connection = Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT instance_id, step, COUNT(*) FROM runs WHERE phase = $p GROUP BY instance_id, step";
        query.Parameters.AddWithValue("$p", phase);
        using var reader = query.ExecuteReader();
        var counts = new Dictionary<(string, int), int>();
        while (reader.Read())
        {
            counts[(reader.GetString(0), reader.GetInt32(1))] = reader.GetInt32(2);
        }

        return counts;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
