using System.Diagnostics;
using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>
/// This test assembly run as a child process (<c>dotnet exec &lt;tests.dll&gt; worker &lt;db&gt;</c>): a worker with the test
/// tasks on the given file, until it is killed. The crash tests kill it while it holds locks.
/// </summary>
internal static class CrashWorker
{
    /// <summary>Starts the child worker (its activities record runs in <paramref name="ledger"/>, if given); the caller kills it.</summary>
    public static Process Start(string databasePath, string? ledger = null)
    {
        var assembly = typeof(CrashWorker).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        if (ledger is not null)
        {
            start.Environment[Ledger.Variable] = ledger;
        }

        foreach (var argument in new[] { "exec", assembly, "worker", databasePath })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start.");
    }

    /// <summary>The child's body.</summary>
    public static async Task<int> RunAsync(string databasePath)
    {
        using var service = new SqliteOrchestrationService(Settings(databasePath));
        await service.CreateIfNotExistsAsync();
        var worker = new TaskHubWorker(service);
        worker.AddTaskOrchestrations(typeof(EventWaiter), typeof(Chain), typeof(LedgerChain)).AddTaskActivities(typeof(Gate), typeof(Increment), typeof(LedgerIncrement));
        await worker.StartAsync();
        Console.WriteLine("ready");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    /// <summary>Waits until the child has started its worker.</summary>
    public static async Task ReadyAsync(Process child)
    {
        var line = await child.StandardOutput.ReadLineAsync().WaitAsync(TestHub.Timeout);
        if (line != "ready")
        {
            throw new InvalidOperationException($"The worker process said '{line}' instead of 'ready'.");
        }
    }

    /// <summary>The settings both sides use: locks that would last an hour, so only takeover explains a prompt resume.</summary>
    public static SqliteOrchestrationServiceSettings Settings(string databasePath)
        => new() { DatabasePath = databasePath, TaskHubName = "tests", LockTimeout = TimeSpan.FromHours(1), Synchronous = SqliteSynchronousMode.Normal };
}
