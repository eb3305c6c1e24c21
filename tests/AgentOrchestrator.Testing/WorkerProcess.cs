using System.Diagnostics;

namespace AgentOrchestrator.Testing;

/// <summary>
/// A real worker child process for crash tests: an executable built next to the tests, started with dotnet,
/// ready when it prints <c>ready</c>, killed with SIGKILL.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _errors = new();

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
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"The worker exited with code {_process.ExitCode} before it was ready. Its errors: {Errors}"));
    }

    /// <summary>Everything the process wrote to standard error, for failure messages.</summary>
    public string Errors => _errors.ToString();

    /// <summary>Starts <paramref name="assemblyName"/>.dll from the test output folder and waits until it is ready.</summary>
    public static async Task<WorkerProcess> StartAsync(string assemblyName, params string[] arguments)
    {
        var worker = Start(assemblyName, arguments);
        await worker._ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return worker;
    }

    /// <summary>
    /// Starts <paramref name="assemblyName"/>.dll without waiting until it is ready: for a worker that may
    /// kill itself before it gets to say so.
    /// </summary>
    public static WorkerProcess Start(string assemblyName, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(WorkerDll(assemblyName));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    /// <summary>Kills the process if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private static string WorkerDll(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, $"{name}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The crash worker was not built next to the tests.", path);
    }
}
