using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.DurableTask.CrashWorker;

/// <summary>
/// An append-only record of step runs in its own SQLite file, apart from the orchestration store: what really ran, and
/// how often. A row is committed before <see cref="Record"/> returns, so it survives the kill of the process that wrote it.
/// </summary>
public sealed class Ledger
{
    /// <summary>The phase a step records when it begins.</summary>
    public const string Started = "started";

    /// <summary>The phase a step records just before it returns its result.</summary>
    public const string Finished = "finished";

    private readonly string _connectionString;

    /// <summary>Opens the ledger file, creating it when missing.</summary>
    /// <param name="path">The file.</param>
    public Ledger(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        using var create = connection.CreateCommand();
        create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS runs (instance_id TEXT NOT NULL, step INTEGER NOT NULL, phase TEXT NOT NULL, pid INTEGER NOT NULL);";
        create.ExecuteNonQuery();
    }

    /// <summary>Appends one run of a step in one phase, committed before this returns.</summary>
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

    /// <summary>How many times each (instance, step) reached <paramref name="phase"/>; steps that never did are absent.</summary>
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
