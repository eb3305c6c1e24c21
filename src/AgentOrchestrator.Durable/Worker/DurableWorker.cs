using AgentOrchestrator.Durable.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Durable.Worker;

/// <summary>
/// The hosted worker: runs orchestration episodes and activities from the store with bounded concurrency.
/// On stop it takes no new work and waits for what it started; activities see the stop through their token.
/// </summary>
public sealed class DurableWorker(
    IDurableStore store,
    DurableTaskRegistry registry,
    IServiceProvider services,
    DurableWorkNotifier notifier,
    IOptions<DurableWorkerOptions> options,
    TimeProvider time,
    ILogger<DurableWorker> logger) : BackgroundService
{
    private readonly DurableWorkerOptions _options = options.Value;

    /// <summary>Validates the options and initializes the store before the host finishes starting, so clients can be used at once.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        await store.InitializeAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var scheduler = new WorkScheduler(_options.MaxConcurrentOrchestrations, _options.MaxConcurrentActivities);
        var cache = new ExecutionCache(_options.MaxCachedExecutions);
        // Readers of the instance event logs in this process are woken when a checkpoint or an activity result appends.
        var logNotifier = services.GetService(typeof(InstanceLogNotifier)) as InstanceLogNotifier ?? new InstanceLogNotifier();
        var episodes = new EpisodeRunner(store, registry, cache, notifier, scheduler, logNotifier, Lock, _options, time, logger);
        var activities = new ActivityRunner(store, registry, services, notifier, scheduler, episodes, logNotifier, Lock, _options, time, logger);
        scheduler.RunEpisode = episodes.RunAsync;
        scheduler.RunActivity = item => activities.RunAsync(item, stoppingToken);
        var orchestrationLoop = new DispatchLoop<OrchestrationWorkItem>(
            scheduler.OrchestrationSlots,
            ct => store.TryLockOrchestrationAsync(Lock(), ct),
            scheduler.StartEpisode,
            () => notifier.OrchestrationSignal,
            _options,
            time,
            logger);
        var activityLoop = new DispatchLoop<ActivityWorkItem>(
            scheduler.ActivitySlots,
            ct => store.TryLockActivityAsync(Lock(), ct),
            scheduler.StartActivity,
            () => notifier.ActivitySignal,
            _options,
            time,
            logger);

        logger.WorkerStarted(_options.WorkerId, _options.MaxConcurrentOrchestrations, _options.MaxConcurrentActivities);
        await Task.WhenAll(
            Task.Run(() => orchestrationLoop.RunAsync(stoppingToken), CancellationToken.None),
            Task.Run(() => activityLoop.RunAsync(stoppingToken), CancellationToken.None));
        await scheduler.WhenIdleAsync();
        logger.WorkerStopped(_options.WorkerId);
    }

    private LockRequest Lock() => new(_options.WorkerId, time.GetUtcNow(), _options.LockDuration, _options.MaxMessagesPerEpisode);
}
