using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Durable.Orchestration;

/// <summary>
/// The context orchestrator code runs against. It turns the code's calls into numbered actions and
/// resolves their tasks as history events arrive; the executor feeds it events in history order.
/// </summary>
internal sealed partial class OrchestrationContextImpl(string instanceId, ExecutionStarted started) : TaskOrchestrationContext
{
    private readonly Dictionary<int, OrchestratorAction> _pendingActions = [];
    private readonly List<OrchestratorAction> _pendingOrder = [];
    private readonly Dictionary<int, OpenTask> _openTasks = [];
    private readonly Dictionary<string, LinkedList<TaskCompletionSource<string?>>> _eventWaiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<string?>> _bufferedEvents = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<InstanceLogEntry> _logEntries = [];
    private int _sequence;
    private int _guidCounter;

    public override string InstanceId { get; } = instanceId;

    public override string Name => started.Name;

    public override string ExecutionId => started.ExecutionId;

    public override bool IsReplaying => Replaying;

    public override DateTimeOffset CurrentUtcDateTime => Now;

    internal bool Replaying { get; set; }

    internal DateTimeOffset Now { get; set; }

    internal string? SerializedInput => started.Input;

    internal ParentInstance? Parent => started.Parent;

    internal string? SerializedCustomStatus { get; private set; }

    internal (string? Input, bool PreserveEvents)? ContinueAsNewRequest { get; private set; }

    public override T? GetInput<T>() where T : default => DataConverter.Deserialize<T>(started.Input);

    public override async Task<TResult?> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null)
        where TResult : default
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var serialized = DataConverter.Serialize(input);
        var result = await WithRetry(
            options?.Retry,
            _ => WithTimeout(ScheduleTask(name, serialized, out var id), name, id, options?.Timeout));
        return DataConverter.Deserialize<TResult>(result);
    }

    public override Task CreateTimer(DateTimeOffset fireAt, CancellationToken cancellationToken = default)
    {
        var id = _sequence++;
        var task = AddAction(new CreateTimerAction(id, fireAt), "timer");
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() => CancelOpenTask(id));
        }

        return task;
    }

    public override async Task<T?> WaitForExternalEvent<T>(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where T : default
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_bufferedEvents.TryGetValue(name, out var buffered) && buffered.Count > 0)
        {
            return DataConverter.Deserialize<T>(buffered.Dequeue());
        }

        var waiter = new TaskCompletionSource<string?>();
        if (!_eventWaiters.TryGetValue(name, out var waiters))
        {
            _eventWaiters[name] = waiters = new LinkedList<TaskCompletionSource<string?>>();
        }

        var node = waiters.AddLast(waiter);
        void Abandon()
        {
            if (node.List is not null)
            {
                waiters.Remove(node);
            }
        }

        using var registration = cancellationToken.Register(() =>
        {
            Abandon();
            waiter.TrySetCanceled(cancellationToken);
        });

        if (timeout is null)
        {
            return DataConverter.Deserialize<T>(await waiter.Task);
        }

        using var timerCancellation = new CancellationTokenSource();
        var timer = CreateTimer(Now + timeout.Value, timerCancellation.Token);
        var winner = await Task.WhenAny(waiter.Task, timer);
        if (winner == waiter.Task)
        {
            CancelOnThisThread(timerCancellation);
            return DataConverter.Deserialize<T>(await waiter.Task);
        }

        Abandon();
        throw new TimeoutException($"No '{name}' event arrived within {timeout.Value}.");
    }

    public override async Task<TResult?> CallSubOrchestratorAsync<TResult>(string name, object? input = null, SubOrchestrationOptions? options = null)
        where TResult : default
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var serialized = DataConverter.Serialize(input);
        var result = await WithRetry(options?.Retry, attempt =>
        {
            var id = _sequence++;
            var childId = options?.InstanceId is { } given
                ? (attempt == 1 ? given : $"{given}:{attempt}")
                : $"{InstanceId}:{id}";
            var executionId = NewGuid().ToString("N");
            return AddAction(new CreateSubOrchestrationAction(id, name, childId, executionId, serialized), name);
        });
        return DataConverter.Deserialize<TResult>(result);
    }

    public override void SendEvent(string instanceId, string eventName, object? payload = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var action = new SendEventAction(_sequence++, instanceId, eventName, DataConverter.Serialize(payload));
        _pendingActions.Add(action.Id, action);
        _pendingOrder.Add(action);
    }

    public override void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents = true)
        => ContinueAsNewRequest = (DataConverter.Serialize(newInput), preserveUnprocessedEvents);

    public override Guid NewGuid() => DeterministicGuid.Create($"{InstanceId}:{ExecutionId}:{_guidCounter++}");

    public override void AppendLog(InstanceLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!Replaying)
        {
            _logEntries.Add(entry);
        }
    }

    /// <summary>Takes the log entries the code appended since the last episode, in order.</summary>
    internal IReadOnlyList<InstanceLogEntry> TakeLogEntries()
    {
        if (_logEntries.Count == 0)
        {
            return [];
        }

        var entries = _logEntries.ToList();
        _logEntries.Clear();
        return entries;
    }

    public override void SetCustomStatus(object? customStatus) => SerializedCustomStatus = DataConverter.Serialize(customStatus);

    public override ILogger CreateReplaySafeLogger(ILogger logger) => new ReplaySafeLogger(this, logger);

    private Task<string?> ScheduleTask(string name, string? input, out int id)
    {
        id = _sequence++;
        return AddAction(new ScheduleTaskAction(id, name, input), name);
    }

    private Task<string?> AddAction(OrchestratorAction action, string taskName)
    {
        var completion = new TaskCompletionSource<string?>();
        _pendingActions.Add(action.Id, action);
        _pendingOrder.Add(action);
        _openTasks.Add(action.Id, new OpenTask(taskName, completion));
        return completion.Task;
    }

    private async Task<string?> WithTimeout(Task<string?> task, string name, int id, TimeSpan? timeout)
    {
        if (timeout is null)
        {
            return await task;
        }

        using var timerCancellation = new CancellationTokenSource();
        var timer = CreateTimer(Now + timeout.Value, timerCancellation.Token);
        if (await Task.WhenAny(task, timer) == task)
        {
            CancelOnThisThread(timerCancellation);
            return await task;
        }

        _openTasks.Remove(id);
        throw new TaskFailedException(name, id, new FailureDetails(
            typeof(TimeoutException).FullName!, $"'{name}' did not complete within {timeout.Value}."));
    }

    private async Task<string?> WithRetry(RetryPolicy? policy, Func<int, Task<string?>> attemptOnce)
    {
        var firstAttemptAt = Now;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await attemptOnce(attempt);
            }
            catch (TaskFailedException failure) when (policy is not null
                && attempt < policy.MaxNumberOfAttempts
                && policy.Allows(failure.Failure)
                && Now - firstAttemptAt < policy.RetryTimeout)
            {
                await CreateTimer(Now + policy.DelayBefore(attempt + 1));
            }
        }
    }

    // Orchestrator code must never await anything but durable tasks: CancelAsync would resume on the
    // thread pool, outside the episode's scheduler, so cancellation here is synchronous.
#pragma warning disable CA1849
    private static void CancelOnThisThread(CancellationTokenSource source) => source.Cancel();
#pragma warning restore CA1849

    private void CancelOpenTask(int id)
    {
        if (_openTasks.Remove(id, out var open))
        {
            open.Completion.TrySetCanceled();
        }
    }

    private sealed record OpenTask(string Name, TaskCompletionSource<string?> Completion);
}
