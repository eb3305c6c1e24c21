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

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _options.Validate();
        await store.InitializeAsync(stoppingToken);
        var cache = new ExecutionCache(_options.MaxCachedExecutions);
        var episodes = new EpisodeRunner(store, registry, cache, notifier, _options, time, logger);
        var activities = new ActivityRunner(store, registry, services, notifier, _options, time, logger);
        var orchestrationLoop = new DispatchLoop<OrchestrationWorkItem>(
            _options.MaxConcurrentOrchestrations,
            ct => store.TryLockOrchestrationAsync(Lock(), ct),
            episodes.RunAsync,
            () => notifier.OrchestrationSignal,
            _options,
            time,
            logger);
        var activityLoop = new DispatchLoop<ActivityWorkItem>(
            _options.MaxConcurrentActivities,
            ct => store.TryLockActivityAsync(Lock(), ct),
            item => activities.RunAsync(item, stoppingToken),
            () => notifier.ActivitySignal,
            _options,
            time,
            logger);

        logger.WorkerStarted(_options.WorkerId, _options.MaxConcurrentOrchestrations, _options.MaxConcurrentActivities);
        await Task.WhenAll(
            Task.Run(() => orchestrationLoop.RunAsync(stoppingToken), CancellationToken.None),
            Task.Run(() => activityLoop.RunAsync(stoppingToken), CancellationToken.None));
        logger.WorkerStopped(_options.WorkerId);
    }

    private LockRequest Lock() => new(_options.WorkerId, time.GetUtcNow(), _options.LockDuration, _options.MaxMessagesPerEpisode);
}
