using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>The client's writes: creating instances, sending them messages, terminating them.</summary>
public sealed partial class SqliteOrchestrationService
{
    /// <summary>Creates an instance; an existing instance with the same id is replaced, whatever its status.</summary>
    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) => CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses: null);

    /// <summary>
    /// Creates an instance from its start message, in one transaction. When an instance with the same id exists and its
    /// status is one of <paramref name="dedupeStatuses"/>, nothing is written and <see cref="OrchestrationAlreadyExistsException"/>
    /// is thrown; otherwise (or with no dedupe statuses, as DurableTask.AzureStorage) it is replaced: its history, messages
    /// and tasks are deleted.
    /// </summary>
    public async Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[]? dedupeStatuses)
    {
        ArgumentNullException.ThrowIfNull(creationMessage);
        var instance = NewInstance.From(creationMessage);
        await EnsureCreatedAsync().ConfigureAwait(false);
        var now = Now();
        var replaced = await _writer.WriteAsync(scope =>
        {
            var existing = ReadStatus(scope, instance.InstanceId);
            if (existing is { } status && dedupeStatuses?.Contains(status) == true)
            {
                throw new OrchestrationAlreadyExistsException(
                    $"An orchestration instance with id '{instance.InstanceId}' already exists and is {status}.");
            }

            if (existing is not null)
            {
                scope.Command(SqliteStatements.DeleteInstance).With("$id", instance.InstanceId).ExecuteNonQuery();
            }

            instance.Insert(scope, now);
            return existing;
        }).ConfigureAwait(false);

        if (replaced is { } old)
        {
            Log.InstanceReplaced(_logger, instance.InstanceId, old.ToString());
        }

        Log.InstanceCreated(_logger, instance.InstanceId, instance.ExecutionId, instance.Name);
        _orchestrationWork.Set();
    }

    /// <summary>
    /// Sends a message to an instance. A message for an instance that does not exist throws
    /// <see cref="OrchestrationInstanceNotFoundException"/> and writes nothing; a message for a finished instance is
    /// dropped (and logged), as DurableTask.AzureStorage drops it when it is dequeued. A start message creates the instance.
    /// </summary>
    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) => SendTaskOrchestrationMessageBatchAsync(message);

    /// <summary>Sends messages in one transaction: when any target instance does not exist, none is sent.</summary>
    public async Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var start in messages.Where(m => m.Event is ExecutionStartedEvent))
        {
            await CreateTaskOrchestrationAsync(start).ConfigureAwait(false);
        }

        var outgoing = messages.Where(m => m.Event is not ExecutionStartedEvent).Select(m => new OutgoingMessage(m, Ticks.Of(VisibleAt(m)))).ToList();
        if (outgoing.Count == 0)
        {
            return;
        }

        await EnsureCreatedAsync().ConfigureAwait(false);
        var dropped = await _writer.WriteAsync(scope =>
        {
            var drops = new List<OutgoingMessage>();
            foreach (var message in outgoing)
            {
                if (ReadStatus(scope, message.InstanceId) is null)
                {
                    throw new OrchestrationInstanceNotFoundException(message.InstanceId);
                }

                if (!message.Insert(scope))
                {
                    drops.Add(message);
                }
            }

            return drops;
        }).ConfigureAwait(false);

        dropped.ForEach(d => Log.MessageDropped(_logger, d.EventType.ToString(), d.InstanceId, "the instance has finished"));
        outgoing.Except(dropped).Select(m => m.InstanceId).Distinct().ToList().ForEach(NotifyInstance);
    }

    /// <summary>
    /// Terminates an instance: an instance that has not started is terminated at once; a running one receives a terminate
    /// message, handled by its next episode (also while one of its activities runs: that activity's result is then dropped).
    /// A finished instance is left as it is. An unknown id throws <see cref="OrchestrationInstanceNotFoundException"/>.
    /// </summary>
    public async Task ForceTerminateTaskOrchestrationAsync(string instanceId, string? reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await EnsureCreatedAsync().ConfigureAwait(false);
        var now = Now();
        var message = new OutgoingMessage(
            new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId }, Event = new ExecutionTerminatedEvent(-1, reason) },
            now);
        var outcome = await _writer.WriteAsync(scope =>
        {
            using var reader = scope.Command(SqliteStatements.InstanceStatus).With("$id", instanceId).ExecuteReader();
            if (!reader.Read())
            {
                throw new OrchestrationInstanceNotFoundException(instanceId);
            }

            var status = (OrchestrationStatus)reader.GetInt32(0);
            var locked = !reader.IsDBNull(1);
            reader.Close();
            if (IsTerminal(status))
            {
                return TerminateOutcome.AlreadyFinished;
            }

            if (status == OrchestrationStatus.Pending && !locked)
            {
                scope.Command(SqliteStatements.TerminatePending).With("$id", instanceId).With("$now", now).With("$reason", reason).ExecuteNonQuery();
                return TerminateOutcome.Terminated;
            }

            message.Insert(scope);
            return TerminateOutcome.Sent;
        }).ConfigureAwait(false);

        if (outcome == TerminateOutcome.Terminated)
        {
            Log.TerminatedPending(_logger, instanceId);
            _finished.Set(instanceId);
        }
        else if (outcome == TerminateOutcome.Sent)
        {
            NotifyInstance(instanceId);
        }
    }

    private static OrchestrationStatus? ReadStatus(WriteScope scope, string instanceId)
        => scope.Command(SqliteStatements.InstanceStatus).With("$id", instanceId).ExecuteScalar() is long status ? (OrchestrationStatus)status : null;

    private static bool IsTerminal(OrchestrationStatus status)
        => status is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;

    /// <summary>When a message becomes deliverable: a durable timer at its time, anything else at once.</summary>
    private DateTime VisibleAt(TaskMessage message)
        => message.Event is TimerFiredEvent timer ? timer.FireAt : Ticks.ToDateTime(Now());

    private enum TerminateOutcome
    {
        AlreadyFinished,
        Terminated,
        Sent,
    }
}
