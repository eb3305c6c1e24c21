using System.Diagnostics;

namespace AgentOrchestrator.Durable.Sqlite.Tests.Crash;

/// <summary>A real crash-worker child process: started with dotnet, killed with SIGKILL.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready")
            {
                _ready.TrySetResult();
            }
        };
    }

    public static async Task<WorkerProcess> StartAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(WorkerDll());
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        await Task.WhenAny(worker._ready.Task, exited).WaitAsync(TimeSpan.FromSeconds(60));
        if (!worker._ready.Task.IsCompleted)
        {
            // WaitForExitAsync has read the output to its end, so a "ready" that was printed has been seen by now.
            await exited;
            if (!worker._ready.Task.IsCompleted)
            {
                throw new InvalidOperationException($"The worker exited with code {process.ExitCode} before it was ready.");
            }
        }

        return worker;
    }

    /// <summary>Sends SIGKILL and waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit by itself (for example after killing itself mid-commit).</summary>
    /// <returns>The exit code: 137 means SIGKILL.</returns>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private static string WorkerDll()
    {
        const string name = "AgentOrchestrator.Durable.CrashWorker";
        var path = Path.Combine(AppContext.BaseDirectory, $"{name}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The crash worker was not built next to the tests.", path);
    }
}
