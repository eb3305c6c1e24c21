using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable;

/// <summary>Starts, signals, inspects and manages orchestration instances. Safe to use from any process that shares the store.</summary>
public sealed class DurableTaskClient(IDurableStore store, TimeProvider time, DurableWorkNotifier? notifier = null)
{
    private static readonly OrchestrationRuntimeStatus[] DefaultDedupe =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    private static readonly TimeSpan MaxWaitPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>Schedules a new instance of an orchestrator.</summary>
    /// <returns>The instance id.</returns>
    /// <exception cref="InstanceAlreadyExistsException">The id is taken by an instance in a dedupe status.</exception>
    public async Task<string> ScheduleNewOrchestrationInstanceAsync(
        string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        ValidateInstanceId(instanceId);
        var now = time.GetUtcNow();
        var startAt = options?.StartAt is { } at && at > now ? at : now;
        var instance = new NewInstance(instanceId, orchestratorName, Guid.NewGuid().ToString("N"), DataConverter.Serialize(input), now, startAt);
        await store.CreateInstanceAsync(instance, options?.DedupeStatuses ?? DefaultDedupe, cancellationToken);
        notifier?.NotifyOrchestrations();
        return instanceId;
    }

    /// <summary>Sends an external event to an instance.</summary>
    /// <param name="instanceId">The target instance.</param>
    /// <param name="eventName">The event name.</param>
    /// <param name="payload">The payload, serialized with <see cref="DataConverter"/>.</param>
    /// <param name="eventId">Optional caller-chosen id: raising twice with the same id delivers once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InstanceNotFoundException">The instance does not exist.</exception>
    public Task RaiseEventAsync(string instanceId, string eventName, object? payload = null, string? eventId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        return SendAsync(instanceId, new EventRaised(eventName, DataConverter.Serialize(payload)), eventId, cancellationToken);
    }

    /// <summary>Stops an instance at once: its code runs no further and no compensation or cleanup code runs.</summary>
    public Task TerminateInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
        => SendAsync(instanceId, new ExecutionTerminated(reason), null, cancellationToken);

    /// <summary>Pauses an instance: events stay in its inbox until it is resumed.</summary>
    public Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
        => SendAsync(instanceId, new ExecutionSuspended(reason), null, cancellationToken);

    /// <summary>Resumes a suspended instance.</summary>
    public Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
        => SendAsync(instanceId, new ExecutionResumed(reason), null, cancellationToken);

    /// <summary>Reads an instance, or null when it does not exist.</summary>
    public Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
        => store.GetInstanceAsync(instanceId, cancellationToken);

    /// <summary>Waits until the instance has started (is no longer Pending).</summary>
    public Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, CancellationToken cancellationToken = default)
        => WaitAsync(instanceId, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellationToken);

    /// <summary>Waits until the instance is Completed, Failed or Terminated.</summary>
    public Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, CancellationToken cancellationToken = default)
        => WaitAsync(instanceId, m => m.RuntimeStatus.IsTerminal(), cancellationToken);

    /// <summary>Starts a finished instance again with its original input.</summary>
    /// <param name="instanceId">The instance to restart.</param>
    /// <param name="restartWithNewInstanceId">True to start a new instance rather than replace this one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The id of the started instance.</returns>
    public async Task<string> RestartAsync(string instanceId, bool restartWithNewInstanceId = false, CancellationToken cancellationToken = default)
    {
        var existing = await store.GetInstanceAsync(instanceId, cancellationToken) ?? throw new InstanceNotFoundException(instanceId);
        var history = await store.GetHistoryAsync(instanceId, cancellationToken);
        var originalInput = history.OfType<ExecutionStarted>().FirstOrDefault()?.Input ?? existing.SerializedInput;
        var newId = restartWithNewInstanceId ? Guid.NewGuid().ToString("N") : instanceId;
        var now = time.GetUtcNow();
        await store.CreateInstanceAsync(new NewInstance(newId, existing.Name, Guid.NewGuid().ToString("N"), originalInput, now, now), DefaultDedupe, cancellationToken);
        notifier?.NotifyOrchestrations();
        return newId;
    }

    /// <summary>Deletes a finished instance and its history.</summary>
    /// <returns>False when it does not exist or has not finished.</returns>
    public async Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
        => await store.PurgeInstancesAsync(new PurgeFilter { InstanceId = instanceId }, cancellationToken) > 0;

    /// <summary>Deletes finished instances matching the filter with their histories.</summary>
    public Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default)
        => store.PurgeInstancesAsync(filter, cancellationToken);

    /// <summary>Lists instances matching a filter, one page at a time.</summary>
    public Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, 1000, nameof(query));
        return store.QueryInstancesAsync(query, cancellationToken);
    }

    /// <summary>Reads an instance's typed history, oldest first.</summary>
    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
        => store.GetHistoryAsync(instanceId, cancellationToken);

    /// <summary>Lists dead-lettered messages, newest first.</summary>
    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? instanceId = null, int limit = 100, CancellationToken cancellationToken = default)
        => store.GetDeadLettersAsync(instanceId, limit, cancellationToken);

    private async Task SendAsync(string instanceId, HistoryEvent historyEvent, string? messageKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var now = time.GetUtcNow();
        var id = $"{instanceId}:client:{historyEvent.Kind}:{messageKey ?? Guid.NewGuid().ToString("N")}";
        var message = new OrchestrationMessage(id, instanceId, null, historyEvent with { Timestamp = now }, now);
        if (!await store.SendMessageAsync(message, cancellationToken))
        {
            throw new InstanceNotFoundException(instanceId);
        }

        notifier?.NotifyOrchestrations();
    }

    private async Task<OrchestrationMetadata> WaitAsync(string instanceId, Func<OrchestrationMetadata, bool> done, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var changed = notifier?.InstanceChangedSignal;
            var instance = await store.GetInstanceAsync(instanceId, cancellationToken) ?? throw new InstanceNotFoundException(instanceId);
            if (done(instance))
            {
                return instance;
            }

            using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var poll = Task.Delay(delay, time, stopDelay.Token);
            await (changed is null ? poll : Task.WhenAny(poll, changed));
            await stopDelay.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxWaitPoll.Ticks));
        }
    }

    private static void ValidateInstanceId(string instanceId)
    {
        if (instanceId.Length > 256 || instanceId.Any(char.IsControl))
        {
            throw new ArgumentException($"Instance id '{instanceId}' must be at most 256 characters with no control characters.", nameof(instanceId));
        }
    }
}
