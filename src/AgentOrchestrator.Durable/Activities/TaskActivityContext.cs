using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable;

/// <summary>What an activity knows about the call it is serving.</summary>
/// <param name="Name">The activity name.</param>
/// <param name="InstanceId">The orchestration instance that scheduled it.</param>
/// <param name="ExecutionId">The execution that scheduled it.</param>
/// <param name="TaskId">The sequence id of the scheduling action.</param>
/// <param name="DeliveryCount">1 on the first delivery; more after a worker crashed or lost its lock.</param>
public sealed record TaskActivityContext(string Name, string InstanceId, string ExecutionId, int TaskId, int DeliveryCount)
{
    private readonly List<InstanceLogEntry> _outcomeLog = [];

    /// <summary>
    /// A key that is the same on every delivery of this activity call and differs between calls.
    /// Activities run at least once: pass this to side-effecting systems so a repeat is harmless.
    /// </summary>
    public string IdempotencyKey => $"{InstanceId}:{ExecutionId}:{TaskId}";

    /// <summary>The entries queued by <see cref="AppendLogWithOutcome"/>, in order.</summary>
    internal IReadOnlyList<InstanceLogEntry> OutcomeLog => _outcomeLog;

    /// <summary>
    /// Queues an entry for the instance's event log, written with this call's outcome (its result, or its failure when
    /// it throws): in the same store transaction where the store can, otherwise just before the outcome is delivered.
    /// Readers see it no later than the outcome, and where the store can it costs no write of its own. It is dropped if
    /// this delivery never reports an outcome (the worker stopped); the next delivery writes its own, so give it a
    /// dedupe key.
    /// </summary>
    public void AppendLogWithOutcome(InstanceLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _outcomeLog.Add(entry);
    }
}
