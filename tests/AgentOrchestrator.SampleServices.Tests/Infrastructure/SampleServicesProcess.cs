using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AgentOrchestrator.SampleServices.Tests.Infrastructure;

/// <summary>
/// The sample services as their own process (<c>dotnet AgentOrchestrator.SampleServices.dll</c>), configured through
/// environment variables the way an operator would, on a free loopback port, with their SQLite files in a folder the
/// test owns: so a test can kill the process with SIGKILL mid-request and start another on the same files.
/// </summary>
internal sealed class SampleServicesProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];
    private readonly Lock _gate = new();

    private SampleServicesProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        _process.OutputDataReceived += (_, e) => Received(e.Data);
        _process.ErrorDataReceived += (_, e) => Received(e.Data);
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>Starts the services on the SQLite files in <paramref name="folder"/> and waits until they listen.</summary>
    /// <param name="folder">Where crm.db and billing.db live.</param>
    /// <param name="settings">Configuration as environment variables, e.g. <c>SampleServices__Crm__Faults__0__Operation</c>.</param>
    public static async Task<SampleServicesProcess> StartAsync(string folder, IDictionary<string, string>? settings = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AgentOrchestrator.SampleServices.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(address.ToString());
        info.Environment["SampleServices__Crm__DatabasePath"] = Path.Combine(folder, "crm.db");
        info.Environment["SampleServices__Billing__DatabasePath"] = Path.Combine(folder, "billing.db");
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var services = new SampleServicesProcess(process, address);
        var listening = services.WhenWritten("Now listening on");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Task.WhenAny(listening, process.WaitForExitAsync()).Unwrap().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.HasExited)
        {
            throw new InvalidOperationException($"The sample services exited with {process.ExitCode}: {services.Output}");
        }

        return services;
    }

    /// <summary>Everything the process wrote, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Completes when the process writes a line containing <paramref name="text"/> (its log).</summary>
    public Task WhenWritten(string text)
    {
        lock (_gate)
        {
            if (_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _awaited.Add((text, seen));
            return seen.Task;
        }
    }

    /// <summary>Sends SIGKILL: no request finishes, no finally block runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.Enqueue(line);
            foreach (var (text, seen) in _awaited.Where(a => line.Contains(a.Text, StringComparison.Ordinal)))
            {
                seen.TrySetResult();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
