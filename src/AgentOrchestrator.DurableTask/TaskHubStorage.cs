using AgentOrchestrator.DurableTask.Worker;
using DurableTask.Core;
using DurableTask.Core.Query;

namespace AgentOrchestrator.DurableTask;

/// <summary>
/// The one orchestration service of this process (SQLite, DurableTask.AzureStorage, or any other DTFx provider), as the
/// worker and the client see it. The provider's store is created once, before the first use by either.
/// </summary>
public sealed class TaskHubStorage : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private Task? _creating;

    /// <summary>Wraps <paramref name="service"/>, which must also implement <see cref="IOrchestrationServiceClient"/>.</summary>
    /// <param name="service">The provider.</param>
    /// <param name="notifier">Told of every checkpoint this process's worker commits.</param>
    public TaskHubStorage(IOrchestrationService service, CheckpointNotifier notifier)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(notifier);
        Service = service;
        Client = service as IOrchestrationServiceClient
            ?? throw new ArgumentException($"{service.GetType().Name} is not an IOrchestrationServiceClient, so no client can reach it.", nameof(service));
        Notifier = notifier;
        WorkerService = new NotifyingOrchestrationService(service, notifier);
    }

    /// <summary>The provider itself.</summary>
    public IOrchestrationService Service { get; }

    /// <summary>The provider's client side.</summary>
    public IOrchestrationServiceClient Client { get; }

    /// <summary>The provider's query side, or null when it has none.</summary>
    public IOrchestrationServiceQueryClient? QueryClient => Service as IOrchestrationServiceQueryClient;

    /// <summary>The provider's purge side, or null when it has none.</summary>
    public IOrchestrationServicePurgeClient? PurgeClient => Service as IOrchestrationServicePurgeClient;

    /// <summary>Wakes clients in this process when the worker commits a checkpoint.</summary>
    public CheckpointNotifier Notifier { get; }

    /// <summary>The provider as the worker uses it: every checkpoint also notifies <see cref="Notifier"/>.</summary>
    internal NotifyingOrchestrationService WorkerService { get; }

    /// <summary>
    /// Creates the provider's store (tables, queues, schema) if it does not exist yet: once per process, and again after
    /// an attempt that failed (a store that was briefly unreachable).
    /// </summary>
    public Task EnsureCreatedAsync()
    {
        lock (_gate)
        {
            if (_creating is null || _creating.IsFaulted || _creating.IsCanceled)
            {
                _creating = Service.CreateIfNotExistsAsync();
            }

            return _creating;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (Service is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        (Service as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }
}
