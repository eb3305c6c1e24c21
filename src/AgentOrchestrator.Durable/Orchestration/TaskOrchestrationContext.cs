using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Durable;

/// <summary>
/// What orchestrator code uses to act. Orchestrator code is replayed from history, so it must be
/// deterministic: all I/O goes through activities, time comes from <see cref="CurrentUtcDateTime"/>,
/// ids from <see cref="NewGuid"/>, and no other tasks (Task.Run, Task.Delay, ConfigureAwait(false)) are awaited.
/// </summary>
public abstract class TaskOrchestrationContext
{
    /// <summary>The instance id.</summary>
    public abstract string InstanceId { get; }

    /// <summary>The orchestrator name.</summary>
    public abstract string Name { get; }

    /// <summary>The current execution id (changes on continue-as-new).</summary>
    public abstract string ExecutionId { get; }

    /// <summary>True while the code is re-running past history rather than making new decisions.</summary>
    public abstract bool IsReplaying { get; }

    /// <summary>The deterministic current time: the start time of the episode that is being executed or replayed.</summary>
    public abstract DateTimeOffset CurrentUtcDateTime { get; }

    /// <summary>Reads the execution's input.</summary>
    public abstract T? GetInput<T>();

    /// <summary>Schedules an activity and returns its result.</summary>
    /// <exception cref="TaskFailedException">The activity failed after any retries the options allow.</exception>
    public abstract Task<TResult?> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    /// <summary>Schedules an activity whose result is not needed.</summary>
    public Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null)
        => CallActivityAsync<object>(name, input, options);

    /// <summary>Creates a durable timer that survives restarts. Cancelling the token completes the task as cancelled.</summary>
    public abstract Task CreateTimer(DateTimeOffset fireAt, CancellationToken cancellationToken = default);

    /// <summary>Creates a durable timer that fires after <paramref name="delay"/>.</summary>
    public Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken = default)
        => CreateTimer(CurrentUtcDateTime + delay, cancellationToken);

    /// <summary>Waits for an external event by name (case-insensitive). Events that arrive before anyone waits are buffered.</summary>
    /// <exception cref="TimeoutException">No event arrived within <paramref name="timeout"/>.</exception>
    public abstract Task<T?> WaitForExternalEvent<T>(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>Starts a sub-orchestration and returns its output.</summary>
    /// <exception cref="TaskFailedException">The sub-orchestration failed or was terminated.</exception>
    public abstract Task<TResult?> CallSubOrchestratorAsync<TResult>(string name, object? input = null, SubOrchestrationOptions? options = null);

    /// <summary>Sends an event to another instance (fire and forget, delivered exactly once into its inbox).</summary>
    public abstract void SendEvent(string instanceId, string eventName, object? payload = null);

    /// <summary>
    /// Ends this execution when the orchestrator returns and starts a new one with <paramref name="newInput"/>
    /// and an empty history, which keeps long-lived instances small.
    /// </summary>
    /// <param name="newInput">The next execution's input.</param>
    /// <param name="preserveUnprocessedEvents">Carries buffered external events over to the next execution.</param>
    public abstract void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents = true);

    /// <summary>Returns a GUID that is the same on every replay.</summary>
    public abstract Guid NewGuid();

    /// <summary>
    /// Appends an entry to this instance's event log (<see cref="Storage.IInstanceEventLog"/>) with the episode's checkpoint,
    /// in the same store transaction where the store can. Nothing is written while the code replays: the entry was
    /// written when the code first ran. Give it a dedupe key that is the same on every replay.
    /// </summary>
    public abstract void AppendLog(Storage.InstanceLogEntry entry);

    /// <summary>Sets a small, serializable status that clients can read while the instance runs.</summary>
    public abstract void SetCustomStatus(object? customStatus);

    /// <summary>Wraps a logger so that it writes nothing while the code replays.</summary>
    public abstract ILogger CreateReplaySafeLogger(ILogger logger);
}
