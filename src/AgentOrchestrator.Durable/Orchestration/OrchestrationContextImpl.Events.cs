using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable.Orchestration;

/// <summary>The half of the context the executor drives: matching history to actions and resolving tasks.</summary>
internal sealed partial class OrchestrationContextImpl
{
    /// <summary>Confirms that a recorded scheduling event matches the action the code made with the same id.</summary>
    /// <exception cref="NonDeterministicOrchestrationException">The code made no such action, or a different one.</exception>
    internal void MatchRecordedAction(HistoryEvent recorded)
    {
        var expected = DescribeRecorded(recorded);
        if (!_pendingActions.Remove(recorded.EventId, out var action))
        {
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestration '{Name}' (instance '{InstanceId}'): history has {expected} with id {recorded.EventId}, "
                + "but the orchestrator code did not schedule anything with that id. The code changed since this instance started.");
        }

        _pendingOrder.Remove(action);
        if (action.Describe() != expected)
        {
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestration '{Name}' (instance '{InstanceId}'): at id {recorded.EventId} history has {expected}, "
                + $"but the orchestrator code now schedules {action.Describe()}. The code changed since this instance started.");
        }
    }

    /// <summary>Resolves the task with this id, if it is still open; late and duplicate results are ignored.</summary>
    internal void Complete(int id, string? result)
    {
        if (_openTasks.Remove(id, out var open))
        {
            open.Completion.TrySetResult(result);
        }
    }

    /// <summary>Fails the task with this id, if it is still open.</summary>
    internal void Fail(int id, FailureDetails failure)
    {
        if (_openTasks.Remove(id, out var open))
        {
            open.Completion.TrySetException(new TaskFailedException(open.Name, id, failure));
        }
    }

    /// <summary>Hands an external event to its oldest waiter, or buffers it.</summary>
    internal void Raise(string name, string? input)
    {
        if (_eventWaiters.TryGetValue(name, out var waiters) && waiters.First is { } first)
        {
            waiters.RemoveFirst();
            first.Value.TrySetResult(input);
            return;
        }

        if (!_bufferedEvents.TryGetValue(name, out var queue))
        {
            _bufferedEvents[name] = queue = new Queue<string?>();
        }

        queue.Enqueue(input);
    }

    /// <summary>Takes the actions made since the last episode, in the order the code made them.</summary>
    internal IReadOnlyList<OrchestratorAction> TakeNewActions()
    {
        var actions = _pendingOrder.ToList();
        _pendingOrder.Clear();
        _pendingActions.Clear();
        return actions;
    }

    /// <summary>External events that arrived but nobody waited for, oldest first per name.</summary>
    internal IReadOnlyList<(string Name, string? Input)> UnprocessedEvents()
        => [.. _bufferedEvents.SelectMany(pair => pair.Value.Select(input => (pair.Key, input)))];

    private static string DescribeRecorded(HistoryEvent recorded) => recorded switch
    {
        TaskScheduled e => $"TaskScheduled '{e.Name}'",
        TimerCreated => "TimerCreated",
        EventSent e => $"EventSent '{e.Name}' to '{e.InstanceId}'",
        SubOrchestrationCreated e => $"SubOrchestrationCreated '{e.Name}'",
        _ => recorded.Kind,
    };
}
