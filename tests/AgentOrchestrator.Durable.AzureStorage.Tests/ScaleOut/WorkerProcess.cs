using System.Diagnostics;

namespace AgentOrchestrator.Durable.AzureStorage.Tests.ScaleOut;

/// <summary>A real scale-out worker child process: started with dotnet, killed with SIGKILL. It reports the partitions it owns.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private int[] _partitions = [];

    private WorkerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    Errors.Add(e.Data);
                }
            }
        };
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"Worker {name} exited with code {_process.ExitCode} before it was ready."));
    }

    /// <summary>Raised (on a background thread) when the worker reports a new set of owned partitions.</summary>
    public event Action<WorkerProcess>? PartitionsChanged;

    public string Name { get; }

    public List<string> Errors { get; } = [];

    public IReadOnlyList<int> Partitions
    {
        get
        {
            lock (_gate)
            {
                return _partitions;
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static async Task<WorkerProcess> StartAsync(string name, string connectionString, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(WorkerDll());
        info.ArgumentList.Add("--name");
        info.ArgumentList.Add(name);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["AzureWebJobsStorage"] = connectionString;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(name, process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await worker._ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return worker;
    }

    /// <summary>Sends SIGKILL and waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
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
        const string name = "AgentOrchestrator.Durable.ScaleOutWorker";
        var path = Path.Combine(AppContext.BaseDirectory, $"{name}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The scale-out worker was not built next to the tests.", path);
    }

    private void OnLine(string? line)
    {
        if (line == "ready")
        {
            _ready.TrySetResult();
        }
        else if (line?.StartsWith("partitions ", StringComparison.Ordinal) == true)
        {
            var list = line["partitions ".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            lock (_gate)
            {
                _partitions = list;
            }

            PartitionsChanged?.Invoke(this);
        }
    }
}
