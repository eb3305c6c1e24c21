using System.Diagnostics;

namespace AgentOrchestrator.Testing;

/// <summary>
/// A real worker child process for crash tests: an executable built next to the tests, started with dotnet,
/// ready when it prints <c>ready</c>, killed with SIGKILL. Every line it prints is kept, so a test can wait for one.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _errors = new();
    private readonly List<string> _output = [];
    private readonly Lock _outputGate = new();
    private TaskCompletionSource _outputArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            if (e.Data == "ready")
            {
                _ready.TrySetResult();
            }

            TaskCompletionSource arrived;
            lock (_outputGate)
            {
                _output.Add(e.Data);
                arrived = _outputArrived;
                _outputArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            arrived.TrySetResult();
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
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>The lines the process printed so far.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_outputGate)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>Completes when the process printed <c>ready</c>; fails when it exited before.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="assemblyName"/>.dll from the test output folder and waits until it is ready.</summary>
    public static Task<WorkerProcess> StartAsync(string assemblyName, params string[] arguments) => StartAsync(assemblyName, arguments, environment: null);

    /// <summary>
    /// Starts <paramref name="assemblyName"/>.dll with extra <paramref name="environment"/> variables (as a Functions app gets
    /// its connection strings) and waits until it is ready.
    /// </summary>
    public static async Task<WorkerProcess> StartAsync(string assemblyName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var worker = Start(assemblyName, arguments, environment);
        try
        {
            await worker._ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }

        return worker;
    }

    /// <summary>
    /// Starts <paramref name="assemblyName"/>.dll without waiting until it is ready: for a worker that may
    /// kill itself before it gets to say so.
    /// </summary>
    public static WorkerProcess Start(string assemblyName, params string[] arguments) => Start(assemblyName, arguments, environment: null);

    /// <summary>Starts <paramref name="assemblyName"/>.dll with extra environment variables, without waiting until it is ready.</summary>
    public static WorkerProcess Start(string assemblyName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(WorkerDll(assemblyName));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Waits until the process prints a line that matches, and returns it (lines printed earlier count).</summary>
    /// <exception cref="TimeoutException">No such line within <paramref name="timeout"/>.</exception>
    public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        using var deadline = new CancellationTokenSource(timeout);
        var seen = 0;
        while (true)
        {
            Task arrived;
            lock (_outputGate)
            {
                for (; seen < _output.Count; seen++)
                {
                    if (match(_output[seen]))
                    {
                        return _output[seen];
                    }
                }

                arrived = _outputArrived.Task;
            }

            try
            {
                await arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The worker printed no matching line within {timeout.TotalSeconds:0.#} s. Its errors: {Errors}");
            }
        }
    }

    /// <summary>Sends SIGKILL and waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited by itself in the meantime.
        }

        await WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit by itself (for example after killing itself mid-commit).</summary>
    /// <returns>The exit code: 137 means SIGKILL.</returns>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to exit by itself, or until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <returns>The exit code, or null when the wait was cancelled first.</returns>
    public async Task<int?> WaitForExitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken);
            return _process.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
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
