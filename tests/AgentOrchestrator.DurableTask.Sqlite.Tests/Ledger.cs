using DurableTask.Core;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>
/// A side SQLite file where activities of every process record each run (instance, task id, process id), so a test can
/// prove that no task ran twice across processes. Its path reaches child workers through <c>AO_TEST_LEDGER</c>.
/// </summary>
internal static class Ledger
{
    public const string Variable = "AO_TEST_LEDGER";

    /// <summary>Creates the ledger file.</summary>
    public static void Create(string path) => Execute(path, "CREATE TABLE IF NOT EXISTS runs (instance_id TEXT NOT NULL, task_id INTEGER NOT NULL, pid INTEGER NOT NULL)");

    /// <summary>Records one run.</summary>
    public static void Record(string path, string instanceId, int taskId)
        => Execute(path, "INSERT INTO runs VALUES ($i, $t, $p)", ("$i", instanceId), ("$t", taskId), ("$p", Environment.ProcessId));

    /// <summary>The recorded runs.</summary>
    public static List<(string InstanceId, long TaskId, long Pid)> Runs(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT instance_id, task_id, pid FROM runs";
        using var reader = command.ExecuteReader();
        var runs = new List<(string, long, long)>();
        while (reader.Read())
        {
            runs.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return runs;
    }

    private static void Execute(string path, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        using var busy = connection.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout = 30000";
        busy.ExecuteNonQuery();
        return connection;
    }
}

/// <summary>Adds one to its input and records the run in the <see cref="Ledger"/> named by <c>AO_TEST_LEDGER</c>.</summary>
internal sealed class LedgerIncrement : TaskActivity<int, int>
{
    protected override int Execute(TaskContext context, int input)
    {
        Ledger.Record(Environment.GetEnvironmentVariable(Ledger.Variable) ?? throw new InvalidOperationException("No ledger."),
            context.OrchestrationInstance.InstanceId, context.TaskId);
        return input + 1;
    }
}

/// <summary>A chain of <see cref="LedgerIncrement"/>s.</summary>
internal sealed class LedgerChain : TaskOrchestration<int, int>
{
    public override async Task<int> RunTask(OrchestrationContext context, int input)
    {
        var value = 0;
        for (var i = 0; i < input; i++)
        {
            value = await context.ScheduleTask<int>(typeof(LedgerIncrement), value);
        }

        return value;
    }
}
