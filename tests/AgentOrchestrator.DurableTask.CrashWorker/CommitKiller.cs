using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AgentOrchestrator.DurableTask.CrashWorker;

/// <summary>
/// Kills this process with SIGKILL inside its N-th SQLite commit that writes rows: after the transaction's statements ran
/// and before the commit is durable (SQLite calls a commit hook before it writes the transaction to the log). Installed on
/// every connection the SQLite service opens, through <c>SqliteOrchestrationServiceSettings.ConnectionOpened</c>.
/// </summary>
public sealed class CommitKiller(int killAtCommit)
{
    private int _commits;

    /// <summary>The line the worker writes to standard output just before it kills itself.</summary>
    public const string Message = "killing myself inside a commit";

    /// <summary>Installs the commit hook on <paramref name="connection"/>.</summary>
    public void Install(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var db = connection.Handle!;
        // Only commits that changed rows count (a read-only transaction commits nothing), so N lands at a repeatable point
        // of the work rather than of the polling.
        var written = raw.sqlite3_total_changes(db);
        raw.sqlite3_commit_hook(db, _ =>
        {
            var total = raw.sqlite3_total_changes(db);
            var wrote = total != written;
            written = total;
            if (wrote && Interlocked.Increment(ref _commits) == killAtCommit)
            {
                Console.Out.WriteLine(Message);
                Console.Out.Flush();
                using var self = Process.GetCurrentProcess();
                self.Kill();
            }

            return 0;
        }, null);
    }
}
