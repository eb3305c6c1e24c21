using DurableTask.Core;
using DurableTask.Core.History;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// Everything one <c>CompleteTaskOrchestrationWorkItemAsync</c> writes, prepared (JSON made) before it reaches the writer,
/// then applied in one transaction by <see cref="Apply"/>: the instance row (only while the lock is held), history appended
/// or, after continue-as-new, replaced, consumed messages deleted, payloads that changed, activity tasks, sub-orchestrations,
/// messages to other instances and durable timers.
/// </summary>
internal sealed class CheckpointPlan
{
    private CheckpointPlan(SqliteOrchestrationWorkItem item) => Item = item;

    /// <summary>The work item checkpointed.</summary>
    public SqliteOrchestrationWorkItem Item { get; }

    /// <summary>DurableTask.Core found the work item invalid (no state): its messages are discarded, nothing else written.</summary>
    public bool Invalid { get; private init; }

    /// <summary>The execution the row will hold.</summary>
    public string ExecutionId { get; private init; } = string.Empty;

    /// <summary>The status the row will hold.</summary>
    public OrchestrationStatus Status { get; private init; }

    /// <summary>True for a finished instance.</summary>
    public bool Terminal { get; private init; }

    /// <summary>The custom status the row will hold.</summary>
    public string? CustomStatus { get; private init; }

    /// <summary>True when the lock stays for the next episode of an extended session.</summary>
    public bool KeepLock { get; private init; }

    /// <summary>The lock's new expiry when it stays.</summary>
    public long LockedUntil { get; private init; }

    /// <summary>The history length after the checkpoint.</summary>
    public int HistoryLength => _historyStart + _events.Count;

    /// <summary>The activity tasks scheduled.</summary>
    public IReadOnlyList<PlannedTask> Tasks => _tasks;

    /// <summary>Results applied directly: their tasks are deleted by this checkpoint.</summary>
    public IReadOnlyList<DirectResult> Direct => _direct;

    private string _name = string.Empty;
    private string? _version;
    private long _now;
    private bool _resetHistory;
    private int _historyStart;
    private List<(int Type, string Json)> _events = [];
    private List<long> _consumed = [];
    private List<DirectResult> _direct = [];
    private (string? Input, string? Tags)? _newInput;
    private bool _customStatusChanged;
    private (string? Output, string? Failure)? _outcome;
    private List<PlannedTask> _tasks = [];
    private List<NewInstance> _children = [];
    private List<OutgoingMessage> _messages = [];

    /// <summary>Prepares the checkpoint DurableTask.Core asked for.</summary>
    public static CheckpointPlan Create(
        SqliteOrchestrationWorkItem item,
        OrchestrationRuntimeState runtimeState,
        IList<TaskMessage> activityMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage? continuedAsNewMessage,
        OrchestrationState? state,
        long now,
        long lockedUntil)
    {
        if (state is null)
        {
            return new CheckpointPlan(item) { Invalid = true, _consumed = [.. item.Consumed], _direct = [.. item.Direct] };
        }

        var executionId = state.OrchestrationInstance?.ExecutionId ?? runtimeState.OrchestrationInstance?.ExecutionId ?? item.ExecutionId;
        var status = state.OrchestrationStatus == OrchestrationStatus.ContinuedAsNew ? OrchestrationStatus.Running : state.OrchestrationStatus;
        var terminal = status is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;
        var reset = !string.Equals(executionId, item.ExecutionId, StringComparison.Ordinal);
        var events = reset ? runtimeState.Events : runtimeState.NewEvents;
        var plan = new CheckpointPlan(item)
        {
            ExecutionId = executionId,
            Status = status,
            Terminal = terminal,
            CustomStatus = state.Status,
            KeepLock = item.Session is not null && item.IsExtendedSession && !terminal,
            LockedUntil = lockedUntil,
            _name = state.Name ?? runtimeState.Name ?? string.Empty,
            _version = state.Version,
            _now = now,
            _resetHistory = reset,
            _historyStart = reset ? 0 : item.HistoryLength,
            _events = [.. events.Select(e => ((int)e.EventType, DtfxJson.Serialize(e)))],
            _consumed = [.. item.Consumed],
            _direct = [.. item.Direct],
            _newInput = reset ? (state.Input, DtfxJson.SerializeValue(state.Tags)) : null,
            _customStatusChanged = !string.Equals(state.Status, item.CustomStatus, StringComparison.Ordinal),
            _outcome = terminal ? (state.Output, DtfxJson.SerializeValue(state.FailureDetails)) : null,
            _tasks = status == OrchestrationStatus.Terminated ? [] : [.. activityMessages.Select(m => new PlannedTask(m))],
        };

        foreach (var message in orchestratorMessages)
        {
            if (message.Event is ExecutionStartedEvent)
            {
                plan._children.Add(NewInstance.From(message));
            }
            else
            {
                plan._messages.Add(new OutgoingMessage(message, now));
            }
        }

        plan._messages.AddRange(timerMessages.Select(m => new OutgoingMessage(m, Ticks.Of(((TimerFiredEvent)m.Event).FireAt))));
        if (continuedAsNewMessage is not null)
        {
            plan._messages.Add(new OutgoingMessage(continuedAsNewMessage, now));
        }

        return plan;
    }

    /// <summary>
    /// Writes the checkpoint. The first <paramref name="handoffCount"/> tasks are inserted already claimed by
    /// <paramref name="owner"/> with <paramref name="handoffToken"/> until <paramref name="handoffUntil"/>.
    /// </summary>
    /// <exception cref="LockLostException">The work item no longer holds the lock; nothing is written.</exception>
    public CheckpointResult Apply(WriteScope scope, int handoffCount, string owner, long handoffToken, long handoffUntil, Action<string>? fault)
    {
        var result = new CheckpointResult();
        if (Invalid)
        {
            _consumed.ForEach(seq => scope.Command(SqliteStatements.DeleteMessage).With("$seq", seq).ExecuteNonQuery());
            DeleteDirectTasks(scope);
            scope.Command(SqliteStatements.ReleaseInstance).With("$id", Item.InstanceId).With("$token", Item.LockToken).ExecuteNonQuery();
            return result;
        }

        var id = Item.InstanceId;
        var updated = scope.Command(SqliteStatements.CheckpointInstance)
            .With("$id", id).With("$token", Item.LockToken).With("$exec", ExecutionId).With("$name", _name).With("$version", _version)
            .With("$status", (int)Status).With("$now", _now).With("$completed", Terminal ? _now : null).With("$length", HistoryLength)
            .With("$keep", KeepLock).With("$until", LockedUntil)
            .ExecuteNonQuery();
        if (updated != 1)
        {
            throw LockLostException.OnInstance(id);
        }

        DeleteDirectTasks(scope);
        fault?.Invoke("instance");
        if (_resetHistory)
        {
            scope.Command(SqliteStatements.ClearHistory).With("$id", id).ExecuteNonQuery();
        }

        AppendHistory(scope, id);
        fault?.Invoke("history");
        _consumed.ForEach(seq => scope.Command(SqliteStatements.DeleteMessage).With("$seq", seq).ExecuteNonQuery());
        WritePayloads(scope, id);
        if (Terminal)
        {
            scope.Command(SqliteStatements.DeleteInstanceMessages).With("$id", id).ExecuteNonQuery();
            if (Status == OrchestrationStatus.Terminated)
            {
                scope.Command(SqliteStatements.DeleteInstanceTasks).With("$id", id).ExecuteNonQuery();
            }
        }

        for (var i = 0; i < _tasks.Count; i++)
        {
            var handed = i < handoffCount;
            var seq = _tasks[i].Insert(scope, _now, owner, handed ? handoffToken : null, handoffUntil);
            if (handed)
            {
                result.HandedOff.Add((seq, _tasks[i]));
            }
        }

        fault?.Invoke("tasks");
        foreach (var child in _children)
        {
            if (StartChild(scope, child))
            {
                result.Notified.Add(child.InstanceId);
            }
            else
            {
                result.RefusedChildren.Add(child.InstanceId);
                RefuseChild(child).Insert(scope);
                result.Notified.Add(id);
            }
        }

        foreach (var message in _messages)
        {
            if (message.Insert(scope))
            {
                result.Notified.Add(message.InstanceId);
            }
            else
            {
                result.Dropped.Add(message);
            }
        }

        fault?.Invoke("messages");
        return result;
    }

    /// <summary>Deletes the tasks whose results were applied directly; a task another worker took meanwhile fails the checkpoint.</summary>
    private void DeleteDirectTasks(WriteScope scope)
    {
        foreach (var direct in _direct)
        {
            if (scope.Command(SqliteStatements.DeleteCompletedTask).With("$seq", direct.Task.Seq).With("$token", direct.Task.LockToken).ExecuteNonQuery() != 1)
            {
                throw LockLostException.OnTask(direct.Task);
            }
        }
    }

    /// <summary>Appends the events, up to <see cref="SqliteStatements.HistoryRowsPerInsert"/> rows per statement.</summary>
    private void AppendHistory(WriteScope scope, string id)
    {
        for (var start = 0; start < _events.Count; start += SqliteStatements.HistoryRowsPerInsert)
        {
            var count = Math.Min(SqliteStatements.HistoryRowsPerInsert, _events.Count - start);
            var insert = scope.Command(SqliteStatements.AppendHistory[count]).With("$id", id);
            for (var i = 0; i < count; i++)
            {
                var (type, json) = _events[start + i];
                insert.With(HistoryParameters.Seq[i], _historyStart + start + i).With(HistoryParameters.Type[i], type).With(HistoryParameters.Event[i], json);
            }

            insert.ExecuteNonQuery();
        }
    }

    private void WritePayloads(WriteScope scope, string id)
    {
        if (_newInput is { } input)
        {
            scope.Command(SqliteStatements.UpdateInput).With("$id", id).With("$input", input.Input).With("$tags", input.Tags).ExecuteNonQuery();
        }

        if (_outcome is { } outcome)
        {
            scope.Command(SqliteStatements.UpdateOutcome)
                .With("$id", id).With("$output", outcome.Output).With("$failure", outcome.Failure).With("$custom", CustomStatus).ExecuteNonQuery();
        }
        else if (_customStatusChanged)
        {
            scope.Command(SqliteStatements.UpdateCustomStatus).With("$id", id).With("$custom", CustomStatus).ExecuteNonQuery();
        }
    }

    /// <summary>Tells this orchestration that its sub-orchestration could not start, as a failure of that call.</summary>
    private OutgoingMessage RefuseChild(NewInstance child)
    {
        var reason = $"A sub-orchestration with instance id '{child.InstanceId}' could not be started: an instance with that id is still running.";
        var failed = new SubOrchestrationInstanceFailedEvent(-1, child.ParentTaskId ?? -1, reason, null, new FailureDetails("OrchestrationAlreadyExists", reason, null, null, true));
        var message = new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = Item.InstanceId, ExecutionId = ExecutionId }, Event = failed };
        return new OutgoingMessage(message, _now);
    }

    /// <summary>
    /// Creates a sub-orchestration; an instance with its id that has finished is replaced, one still running is left alone
    /// (false: the calling orchestration is told the call failed).
    /// </summary>
    private bool StartChild(WriteScope scope, NewInstance child)
    {
        if (scope.Command(SqliteStatements.InstanceStatus).With("$id", child.InstanceId).ExecuteScalar() is long status)
        {
            if ((OrchestrationStatus)status is not (OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled))
            {
                return false;
            }

            scope.Command(SqliteStatements.DeleteInstance).With("$id", child.InstanceId).ExecuteNonQuery();
        }

        child.Insert(scope, _now);
        return true;
    }
}
