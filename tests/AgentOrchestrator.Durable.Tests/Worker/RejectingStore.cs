using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Tests.Worker;

/// <summary>
/// A store that refuses some writes, as a real store refuses a row or entity that is too large. Writes that carry a
/// dead letter always pass: that is how the engine gets rid of the message that caused the refusal.
/// </summary>
internal sealed class RejectingStore(IDurableStore inner) : IDurableStore
{
    private readonly SemaphoreSlim _rejected = new(0);

    /// <summary>Refuse checkpoints that would append an external event larger than this many characters.</summary>
    public int MaxEventInput { get; init; } = int.MaxValue;

    /// <summary>Refuse to complete the activity with this name.</summary>
    public string? RejectActivity { get; init; }

    /// <summary>Waits until the store has refused one more write.</summary>
    public Task WaitForRejectionAsync() => _rejected.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(
        t => t.Result ? Task.CompletedTask : throw new TimeoutException("The store refused nothing in time."), TaskScheduler.Default).Unwrap();

    public Task<long> CommitOrchestrationAsync(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.DeadLetters.Count == 0 && checkpoint.NewEvents.OfType<EventRaised>().Any(e => e.Input?.Length > MaxEventInput))
        {
            return Reject<long>("the checkpoint holds an event larger than the store accepts");
        }

        return inner.CommitOrchestrationAsync(workItem, checkpoint, cancellationToken);
    }

    public Task CompleteActivityAsync(ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        return deadLetter is null && workItem.Task.Name == RejectActivity
            ? Reject<bool>("the activity result is larger than the store accepts")
            : inner.CompleteActivityAsync(workItem, result, deadLetter, cancellationToken);
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task CreateInstanceAsync(NewInstance instance, IReadOnlyCollection<OrchestrationRuntimeStatus> dedupeStatuses, CancellationToken cancellationToken = default)
        => inner.CreateInstanceAsync(instance, dedupeStatuses, cancellationToken);

    public Task<bool> SendMessageAsync(OrchestrationMessage message, CancellationToken cancellationToken = default) => inner.SendMessageAsync(message, cancellationToken);

    public Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default) => inner.GetInstanceAsync(instanceId, cancellationToken);

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default) => inner.GetHistoryAsync(instanceId, cancellationToken);

    public Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) => inner.QueryInstancesAsync(query, cancellationToken);

    public Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default) => inner.PurgeInstancesAsync(filter, cancellationToken);

    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? instanceId = null, int limit = 100, CancellationToken cancellationToken = default)
        => inner.GetDeadLettersAsync(instanceId, limit, cancellationToken);

    public Task<OrchestrationWorkItem?> TryLockOrchestrationAsync(LockRequest request, CancellationToken cancellationToken = default)
        => inner.TryLockOrchestrationAsync(request, cancellationToken);

    public Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, CancellationToken cancellationToken = default) => inner.AbandonOrchestrationAsync(workItem, cancellationToken);

    public Task<ActivityWorkItem?> TryLockActivityAsync(LockRequest request, CancellationToken cancellationToken = default) => inner.TryLockActivityAsync(request, cancellationToken);

    public Task<bool> RenewActivityLockAsync(ActivityWorkItem workItem, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default)
        => inner.RenewActivityLockAsync(workItem, lockedUntil, cancellationToken);

    public Task AbandonActivityAsync(ActivityWorkItem workItem, CancellationToken cancellationToken = default) => inner.AbandonActivityAsync(workItem, cancellationToken);

    private Task<T> Reject<T>(string reason)
    {
        _rejected.Release();
        return Task.FromException<T>(new InvalidOperationException($"Store refused the write: {reason}."));
    }
}
