using AgentOrchestrator.DurableTask.CrashWorker;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Serializing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace AgentOrchestrator.DurableTask.Tests.Crash;

/// <summary>
/// The crash tests on the SQLite service. Durable at the kill: a step's <c>TaskCompleted</c> in <c>history</c> or waiting in
/// <c>inbox</c> (docs/SQLITE-SERVICE.md). Recovery: a starting worker frees the locks of dead processes on this machine
/// at once, so the fresh worker must finish well inside the one-minute lock timeout the worker runs with.
/// </summary>
[Trait("Category", "Crash")]
public sealed class SqliteCrashRecoveryTests(ITestOutputHelper output) : CrashRecoveryTests(output)
{
    private string DatabasePath => Path.Combine(Folder, "crash.db");

    /// <inheritdoc />
    protected override WorkerOptions Worker => new() { Ledger = LedgerPath, Database = DatabasePath };

    /// <inheritdoc />
    protected override TimeSpan RecoveryBound => CrashStores.SqliteLockTimeout / 2;

    /// <inheritdoc />
    protected override string RecoveryBoundReason =>
        $"the dead worker's locks are freed when the next worker starts; waiting out the {CrashStores.SqliteLockTimeout.TotalSeconds} s lock timeout would be a takeover bug";

    [Fact]
    public Task Worker_KilledMidActivity_RestartCompletesEveryChainAndRepeatsNoDurableStep() => KillMidActivityAndRecoverAsync();

    /// <remarks>
    /// The worker dies in its first commit after K of the 96 steps finished: K = 12 while the chains start, 48 in the
    /// middle, 90 near the end. (A commit count would not do: group commit puts a varying number of checkpoints in one.)
    /// </remarks>
    [Theory]
    [InlineData(12)]
    [InlineData(48)]
    [InlineData(90)]
    public Task Worker_KilledInsideCommit_RestartCompletesEveryChainAndRepeatsNoDurableStep(int afterSteps) => KillInsideCommitAndRecoverAsync(afterSteps);

    /// <inheritdoc />
    protected override IOrchestrationService CreateClientService(ILoggerFactory loggerFactory) => CrashStores.Sqlite(DatabasePath, loggerFactory);

    /// <inheritdoc />
    protected override Task<HashSet<(string Instance, int Step)>> DurableStepsAsync(IReadOnlyList<string> instanceIds)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var events = new Dictionary<string, List<HistoryEvent>>();
        foreach (var (instance, json) in Rows(connection, "SELECT instance_id, event FROM history WHERE event_type IN ($scheduled, $completed)"))
        {
            Add(instance, JsonDataConverter.Default.Deserialize<HistoryEvent>(json));
        }

        foreach (var (instance, json) in Rows(connection, "SELECT instance_id, message FROM inbox WHERE event_type = $completed"))
        {
            Add(instance, JsonDataConverter.Default.Deserialize<TaskMessage>(json).Event);
        }

        return Task.FromResult(events.SelectMany(pair => DurableSteps.Completed(pair.Key, pair.Value)).ToHashSet());

        void Add(string instance, HistoryEvent historyEvent)
            => (events.TryGetValue(instance, out var list) ? list : events[instance] = []).Add(historyEvent);
    }

    private static List<(string Instance, string Json)> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$scheduled", (int)EventType.TaskScheduled);
        command.Parameters.AddWithValue("$completed", (int)EventType.TaskCompleted);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
