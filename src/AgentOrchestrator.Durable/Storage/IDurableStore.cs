using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable.Storage;

/// <summary>
/// The one contract every durable store implements: the instance status rows, their
/// histories and inboxes, the activity work-item queue, the dead letters and each instance's
/// event log (<see cref="IInstanceEventLog"/>), which checkpoints and activity results append to.
/// </summary>
/// <remarks>
/// Correctness rests on two properties. A checkpoint is atomic and guarded by the instance's
/// optimistic version (<see cref="CommitOrchestrationAsync"/>), and every message has a
/// deterministic id that is inserted only if absent, so a repeated delivery changes nothing.
/// Locks add efficiency, never correctness. The store counts deliveries; the engine decides
/// when a message is poison.
/// </remarks>
public interface IDurableStore : IInstanceEventLog
{
    /// <summary>Creates tables, queues or files the store needs. Safe to call repeatedly and from several processes.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates an instance and enqueues its start message.</summary>
    /// <exception cref="InstanceAlreadyExistsException">The instance exists with a status in <paramref name="dedupeStatuses"/>.</exception>
    /// <remarks>An existing instance in any other status is replaced: its history, inbox and tasks are deleted.</remarks>
    Task CreateInstanceAsync(NewInstance instance, IReadOnlyCollection<OrchestrationRuntimeStatus> dedupeStatuses, CancellationToken cancellationToken = default);

    /// <summary>Enqueues a message for an existing instance (insert-if-absent by id).</summary>
    /// <returns>False when the instance does not exist; nothing is written then.</returns>
    Task<bool> SendMessageAsync(OrchestrationMessage message, CancellationToken cancellationToken = default);

    /// <summary>Reads one instance's status row, or null when it does not exist.</summary>
    Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Reads the current execution's history, oldest first; empty when the instance does not exist.</summary>
    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Lists instances matching a filter, one page at a time.</summary>
    Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes terminal instances matching the filter with their history, inbox and tasks.</summary>
    /// <returns>How many instances were deleted.</returns>
    Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Lists dead letters, newest first, optionally for one instance.</summary>
    Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? instanceId = null, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>
    /// Locks one unlocked (or expired-lock) instance that has visible inbox messages and returns it with
    /// those messages, each delivery count incremented. A suspended instance is offered only its control messages.
    /// </summary>
    /// <returns>Null when there is no work.</returns>
    Task<OrchestrationWorkItem?> TryLockOrchestrationAsync(LockRequest request, CancellationToken cancellationToken = default);

    /// <summary>Commits one episode atomically and releases the lock.</summary>
    /// <returns>The instance's new version.</returns>
    /// <exception cref="OrchestrationConcurrencyException">The version moved on; nothing was written.</exception>
    Task<long> CommitOrchestrationAsync(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken = default);

    /// <summary>Releases a lock without committing; the messages become deliverable again.</summary>
    Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, CancellationToken cancellationToken = default);

    /// <summary>Locks one visible activity task, incrementing its delivery count.</summary>
    /// <returns>Null when there is no work.</returns>
    Task<ActivityWorkItem?> TryLockActivityAsync(LockRequest request, CancellationToken cancellationToken = default);

    /// <summary>Extends an activity lock.</summary>
    /// <returns>False when the lock was lost (expired and taken by another worker, or the task is gone).</returns>
    Task<bool> RenewActivityLockAsync(ActivityWorkItem workItem, DateTimeOffset lockedUntil, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one atomic step: delivers the activity's result to its instance's inbox (insert-if-absent, so a
    /// repeated completion is harmless), removes the task, and records <paramref name="deadLetter"/> when given.
    /// </summary>
    Task CompleteActivityAsync(ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter = null, CancellationToken cancellationToken = default);

    /// <summary>Releases an activity lock without completing; the task becomes visible again.</summary>
    Task AbandonActivityAsync(ActivityWorkItem workItem, CancellationToken cancellationToken = default);
}
