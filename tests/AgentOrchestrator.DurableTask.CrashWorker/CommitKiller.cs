using AgentOrchestrator.Testing;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AgentOrchestrator.DurableTask.CrashWorker;

/// <summary>
/// Kills this process with SIGKILL inside the first SQLite commit that writes rows once <paramref name="afterSteps"/> steps
/// finished in this process: after the transaction's statements ran and before the commit is durable (SQLite calls a
/// commit hook before it writes the transaction to the log). Installed on every connection the SQLite service opens,
/// through <c>SqliteOrchestrationServiceSettings.ConnectionOpened</c>. The point is set by the work done, not by a count of
/// commits: group commit puts a varying number of checkpoints in one commit, so the N-th commit landed at a different
/// point of the work in every run (and a late N was sometimes never reached).
/// </summary>
public sealed class CommitKiller(int afterSteps)
{
    private int _fired;

    /// <summary>The line the worker writes to standard output just before it kills itself.</summary>
    public const string Message = "killing myself inside a commit";

    /// <summary>Installs the commit hook on <paramref name="connection"/>.</summary>
    public void Install(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var db = connection.Handle!;
        // Only a commit that changed rows is a kill point (a read-only transaction commits nothing), so the kill lands in a
        // write of the work rather than in the polling.
        var written = raw.sqlite3_total_changes(db);
        raw.sqlite3_commit_hook(db, _ =>
        {
            var total = raw.sqlite3_total_changes(db);
            var wrote = total != written;
            written = total;
            if (wrote && CrashTasks.FinishedSteps >= afterSteps && Interlocked.Exchange(ref _fired, 1) == 0)
            {
                Console.Out.WriteLine(Message);
                Console.Out.Flush();
                SelfKill.Now();
            }

            return 0;
        }, null);
    }
}
