namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>The test assembly's entry point: only used to run it as a child worker process (<see cref="CrashWorker"/>).</summary>
public static class Program
{
    /// <summary>Runs a child worker: <c>worker &lt;database path&gt;</c>.</summary>
    public static Task<int> Main(string[] args)
        => args is ["worker", var path] ? CrashWorker.RunAsync(path) : Task.FromResult(2);
}
