using AgentOrchestrator.DurableTask.Configuration;
using AgentOrchestrator.DurableTask.Shims;
using DurableTask.Core;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.DurableTask.Worker;

/// <summary>
/// The Durable Task SDK worker of the self-hosted service: the orchestrators and activities registered with
/// <c>AddDurableTaskWorker(b => b.AddTasks(...))</c> run on a DTFx <see cref="TaskHubWorker"/> in this process, over the
/// configured orchestration service, with no gRPC hop. Set as the worker's build target by
/// <c>UseOrchestrationService()</c>.
/// </summary>
public sealed class TaskHubDurableTaskWorker : DurableTaskWorker
{
    private readonly TaskHubStorage _storage;
    private readonly DurableTaskShimFactory _shims;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private TaskHubWorker? _worker;

    /// <summary>Creates the worker; the SDK's builder calls this with the registry's factory.</summary>
    /// <param name="name">The worker's name (the builder's).</param>
    /// <param name="factory">Creates the registered orchestrators and activities.</param>
    /// <param name="options">The SDK worker options (data converter, timer interval).</param>
    /// <param name="storage">The orchestration service.</param>
    /// <param name="services">The root service provider.</param>
    /// <param name="loggerFactory">Logging for the SDK's shims and DTFx.</param>
    public TaskHubDurableTaskWorker(
        string? name,
        IDurableTaskFactory factory,
        IOptionsMonitor<DurableTaskWorkerOptions> options,
        TaskHubStorage storage,
        IServiceProvider services,
        ILoggerFactory loggerFactory)
        : base(name, factory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _storage = storage;
        _services = services;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<TaskHubDurableTaskWorker>();
        _shims = new DurableTaskShimFactory(options.Get(Name), loggerFactory);
    }

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The store exists and the dispatchers run before the host reports started, so a client can use it at once.
        await _storage.EnsureCreatedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        _worker = new TaskHubWorker(
            _storage.WorkerService,
            new ShimOrchestrationManager(Factory, _shims, _services),
            new ShimActivityManager(Factory, _shims, _services.GetRequiredService<IServiceScopeFactory>()),
            _loggerFactory)
        {
            // The SDK's TaskFailedException carries FailureDetails; DTFx must propagate them, not exceptions.
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        await _worker.StartAsync().ConfigureAwait(false);
        WorkerLogs.Started(_logger, Name, _storage.Service.GetType().Name);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_worker is { } worker)
        {
            // The dispatchers stop taking work at once (DTFx's graceful stop would wait up to 32 s per dispatcher, whatever
            // the host allows); the work items already taken run on and are checkpointed while the host waits, before
            // the provider is disposed under them. What does not finish in time runs again elsewhere or after a restart.
            await worker.StopAsync(isForced: true).ConfigureAwait(false);
            try
            {
                await _storage.WorkerService.WhenNoWorkItemsHeld().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                WorkerLogs.ForcedStop(_logger, Name);
            }

            WorkerLogs.Stopped(_logger, Name);
        }
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override void Dispose()
    {
        _worker?.Dispose();
        base.Dispose();
    }
}
