using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Durable.Testing;

/// <summary>A real worker and client over a given store, started in-process for a test.</summary>
public sealed class DurableTestHost : IAsyncDisposable
{
    private readonly DurableWorker _worker;
    private readonly ServiceProvider _services;

    private DurableTestHost(IDurableStore store, DurableTaskRegistry registry, TimeProvider time, DurableWorkerOptions options)
    {
        Store = store;
        Notifier = new DurableWorkNotifier();
        _services = new ServiceCollection().BuildServiceProvider();
        _worker = new DurableWorker(store, registry, _services, Notifier, Options.Create(options), time, NullLogger<DurableWorker>.Instance);
        Client = new DurableTaskClient(store, time, Notifier);
    }

    /// <summary>The client, wired to the worker's notifier.</summary>
    public DurableTaskClient Client { get; }

    /// <summary>The store under test.</summary>
    public IDurableStore Store { get; }

    /// <summary>Wakes the worker, for tests that advance a fake clock.</summary>
    public DurableWorkNotifier Notifier { get; }

    /// <summary>Starts a worker over <paramref name="store"/> with the given tasks.</summary>
    public static async Task<DurableTestHost> StartAsync(
        IDurableStore store, Action<DurableTaskRegistry> register, TimeProvider? time = null, Action<DurableWorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(register);
        var registry = new DurableTaskRegistry();
        register(registry);
        var options = new DurableWorkerOptions { MaxPollInterval = TimeSpan.FromMilliseconds(50) };
        configure?.Invoke(options);
        await store.InitializeAsync();
        var host = new DurableTestHost(store, registry, time ?? TimeProvider.System, options);
        await host._worker.StartAsync(CancellationToken.None);
        return host;
    }

    /// <summary>Waits for an instance to finish, failing the test after <paramref name="timeout"/> (default 30 s).</summary>
    public async Task<OrchestrationMetadata> WaitForCompletionAsync(string instanceId, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            return await Client.WaitForInstanceCompletionAsync(instanceId, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            var state = await Client.GetInstanceAsync(instanceId);
            throw new TimeoutException($"Instance {instanceId} did not finish in time; it is {state?.RuntimeStatus}.");
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the instance, failing after the timeout.</summary>
    public async Task<OrchestrationMetadata> WaitUntilAsync(string instanceId, Func<OrchestrationMetadata, bool> condition, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var changed = Notifier.InstanceChangedSignal;
            var state = await Client.GetInstanceAsync(instanceId, cancel.Token);
            if (state is not null && condition(state))
            {
                return state;
            }

            try
            {
                await changed.WaitAsync(TimeSpan.FromMilliseconds(100), cancel.Token);
            }
            catch (TimeoutException)
            {
                // Poll again: the change may have come from elsewhere.
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Instance {instanceId} did not reach the expected state in time; it is {state?.RuntimeStatus}.");
            }
        }
    }

    /// <summary>
    /// Waits until the instance's history satisfies <paramref name="condition"/> and returns that history,
    /// failing after the timeout (default 30 s). Use it to wait for an episode to be committed.
    /// </summary>
    public async Task<IReadOnlyList<History.HistoryEvent>> WaitForHistoryAsync(
        string instanceId, Func<IReadOnlyList<History.HistoryEvent>, bool> condition, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var changed = Notifier.InstanceChangedSignal;
            var history = await Client.GetHistoryAsync(instanceId, cancel.Token);
            if (condition(history))
            {
                return history;
            }

            try
            {
                await changed.WaitAsync(TimeSpan.FromMilliseconds(100), cancel.Token);
            }
            catch (TimeoutException)
            {
                // Read again: the change may have come from elsewhere.
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"The history of {instanceId} did not reach the expected state in time; it has {history.Count} events: "
                    + string.Join(", ", history.Select(e => e.Kind)));
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync(CancellationToken.None);
        _worker.Dispose();
        await _services.DisposeAsync();
        if (Store is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else if (Store is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
