using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.DurableTask.Tests.Conformance;

/// <summary>A real generic host running the conformance tasks on one orchestration service, and its client.</summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestHost(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<DurableTaskClient>();
        Storage = host.Services.GetRequiredService<TaskHubStorage>();
    }

    /// <summary>The SDK client of this host.</summary>
    public DurableTaskClient Client { get; }

    /// <summary>The orchestration service as the host holds it.</summary>
    public TaskHubStorage Storage { get; }

    /// <summary>Starts a host whose worker runs the conformance tasks on <paramref name="service"/>.</summary>
    public static Task<TestHost> StartAsync(IOrchestrationService service) => StartAsync(service, ConformanceTasks.Register);

    /// <summary>Starts a host whose worker runs the tasks <paramref name="register"/> adds on <paramref name="service"/>.</summary>
    public static async Task<TestHost> StartAsync(IOrchestrationService service, Action<DurableTaskRegistry> register)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("CONFORMANCE_LOG") is { } level)
        {
            builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(Enum.Parse<LogLevel>(level));
        }
        builder.Services.AddDurableTaskHost(_ => service, register);
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(timeout.Token);
        return new TestHost(host);
    }

    /// <summary>Starts an orchestration and waits (at most <paramref name="seconds"/>) until it finishes.</summary>
    public async Task<OrchestrationMetadata> RunAsync(string name, object? input, string? instanceId = null, int seconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(name, input, new Microsoft.DurableTask.StartOrchestrationOptions(instanceId), timeout.Token);
        return await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }

    /// <summary>Waits (at most <paramref name="seconds"/>) until an instance finishes.</summary>
    public async Task<OrchestrationMetadata> WaitAsync(string instanceId, int seconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
    }

    /// <summary>Waits (at most <paramref name="seconds"/>) until an instance's status satisfies <paramref name="condition"/>.</summary>
    public async Task<OrchestrationMetadata> WaitForStatusAsync(string instanceId, Func<OrchestrationMetadata, bool> condition, int seconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            var state = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
            if (state is not null && condition(state))
            {
                return state;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), TimeProvider.System, timeout.Token);
        }
    }

    /// <summary>Stops the host: running work may finish within <paramref name="graceful"/>, the rest is abandoned.</summary>
    public async Task StopAsync(TimeSpan graceful)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(graceful);
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(10));
}
