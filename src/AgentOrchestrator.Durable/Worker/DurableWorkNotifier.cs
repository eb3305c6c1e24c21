namespace AgentOrchestrator.Durable;

/// <summary>
/// Wakes the worker and waiting clients in this process at once when local work appears, so they
/// need not wait for their next poll. Other processes still find the work by polling.
/// </summary>
public sealed class DurableWorkNotifier
{
    private TaskCompletionSource _orchestrations = NewSignal();
    private TaskCompletionSource _activities = NewSignal();
    private TaskCompletionSource _instanceChanged = NewSignal();

    /// <summary>Completes at the next <see cref="NotifyOrchestrations"/>. Take it before polling, await it after an empty poll.</summary>
    public Task OrchestrationSignal => Volatile.Read(ref _orchestrations).Task;

    /// <summary>Completes at the next <see cref="NotifyActivities"/>.</summary>
    public Task ActivitySignal => Volatile.Read(ref _activities).Task;

    /// <summary>Completes at the next <see cref="NotifyInstanceChanged"/>.</summary>
    public Task InstanceChangedSignal => Volatile.Read(ref _instanceChanged).Task;

    /// <summary>Says an inbox message became available.</summary>
    public void NotifyOrchestrations() => Interlocked.Exchange(ref _orchestrations, NewSignal()).TrySetResult();

    /// <summary>Says an activity task became available.</summary>
    public void NotifyActivities() => Interlocked.Exchange(ref _activities, NewSignal()).TrySetResult();

    /// <summary>Says an instance's status row changed.</summary>
    public void NotifyInstanceChanged() => Interlocked.Exchange(ref _instanceChanged, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
