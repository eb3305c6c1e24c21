using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Orchestration;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Worker;

/// <summary>
/// Turns what an episode decided into the one atomic checkpoint a store commits, with deterministic message ids; log entries
/// an activity queued with its outcome (direct completion) go ahead of the episode's own.
/// </summary>
internal static class CheckpointBuilder
{
    public static OrchestrationCheckpoint Build(
        OrchestrationWorkItem item,
        OrchestrationExecutor executor,
        EpisodeResult episode,
        IReadOnlyList<string> consumed,
        IReadOnlyList<DeadLetter> deadLetters,
        IReadOnlyList<InstanceLogEntry> leadingLog,
        DateTimeOffset now)
    {
        var instanceId = item.InstanceId;
        var started = executor.Started;
        var executionId = started?.ExecutionId ?? item.ExecutionId;
        var tasks = new List<ActivityTask>();
        var messages = new List<OrchestrationMessage>();
        var children = new List<NewInstance>();
        foreach (var action in episode.NewActions)
        {
            switch (action)
            {
                case ScheduleTaskAction a:
                    tasks.Add(new ActivityTask($"{instanceId}:{executionId}:task:{a.Id}", instanceId, executionId, a.Id, a.Name, a.Input, now));
                    break;
                case CreateTimerAction a:
                    messages.Add(new OrchestrationMessage(
                        $"{instanceId}:{executionId}:timer:{a.Id}", instanceId, executionId, new TimerFired(a.Id, a.FireAt) { Timestamp = a.FireAt }, a.FireAt));
                    break;
                case SendEventAction a:
                    messages.Add(new OrchestrationMessage(
                        $"{instanceId}:{executionId}:event:{a.Id}", a.InstanceId, null, new EventRaised(a.Name, a.Input) { Timestamp = now }, now));
                    break;
                case CreateSubOrchestrationAction a:
                    children.Add(new NewInstance(a.InstanceId, a.Name, a.ExecutionId, a.Input, now, now, new ParentInstance(instanceId, executionId, a.Id)));
                    break;
            }
        }

        var continued = episode.Outcome as ExecutionOutcome.ContinuedAsNew;
        if (continued is not null)
        {
            tasks.Clear();
            messages.RemoveAll(m => m.InstanceId == instanceId);
            children.Clear();
            messages.AddRange(NextExecutionMessages(instanceId, started!, continued, now));
        }
        else if (episode.EndedInThisEpisode && ParentNotification(started, episode.Outcome, now) is { } notification)
        {
            messages.Add(notification);
        }

        var status = episode.Outcome switch
        {
            ExecutionOutcome.Completed => OrchestrationRuntimeStatus.Completed,
            ExecutionOutcome.Failed => OrchestrationRuntimeStatus.Failed,
            ExecutionOutcome.Terminated => OrchestrationRuntimeStatus.Terminated,
            ExecutionOutcome.ContinuedAsNew => OrchestrationRuntimeStatus.Running,
            _ when episode.IsSuspended => OrchestrationRuntimeStatus.Suspended,
            _ when started is not null => OrchestrationRuntimeStatus.Running,
            _ => item.Status,
        };

        return new OrchestrationCheckpoint
        {
            NewEvents = continued is null ? episode.NewEvents : [],
            ReplacesHistory = continued is not null,
            ConsumedMessageIds = consumed,
            DeadLetters = deadLetters,
            ActivityTasks = tasks,
            Messages = messages,
            NewInstances = children,
            LogEntries = leadingLog.Count == 0 ? episode.LogEntries : [.. leadingLog, .. episode.LogEntries],
            Instance = new InstanceUpdate(
                continued?.NextExecutionId ?? executionId,
                status,
                continued is not null ? continued.Input : started?.Input,
                episode.Outcome switch
                {
                    ExecutionOutcome.Completed c => c.Output,
                    ExecutionOutcome.Terminated t => DataConverter.Serialize(t.Reason),
                    _ => null,
                },
                continued is not null ? null : episode.CustomStatus,
                (episode.Outcome as ExecutionOutcome.Failed)?.Failure,
                now,
                status.IsTerminal() ? now : null),
        };
    }

    private static IEnumerable<OrchestrationMessage> NextExecutionMessages(
        string instanceId, ExecutionStarted previous, ExecutionOutcome.ContinuedAsNew next, DateTimeOffset now)
    {
        var start = new ExecutionStarted(previous.Name, next.NextExecutionId, next.Input, previous.Parent) { Timestamp = now };
        yield return new OrchestrationMessage($"{instanceId}:{next.NextExecutionId}:start", instanceId, next.NextExecutionId, start, now);
        for (var i = 0; i < next.CarriedEvents.Count; i++)
        {
            var (name, input) = next.CarriedEvents[i];
            yield return new OrchestrationMessage(
                $"{instanceId}:{next.NextExecutionId}:carried:{i}", instanceId, next.NextExecutionId, new EventRaised(name, input) { Timestamp = now }, now);
        }
    }

    private static OrchestrationMessage? ParentNotification(ExecutionStarted? started, ExecutionOutcome? outcome, DateTimeOffset now)
    {
        if (started?.Parent is not { } parent)
        {
            return null;
        }

        HistoryEvent? result = outcome switch
        {
            ExecutionOutcome.Completed c => new SubOrchestrationCompleted(parent.TaskScheduledId, c.Output),
            ExecutionOutcome.Failed f => new SubOrchestrationFailed(parent.TaskScheduledId, f.Failure),
            ExecutionOutcome.Terminated t => new SubOrchestrationFailed(
                parent.TaskScheduledId, new FailureDetails("Terminated", $"The sub-orchestration was terminated: {t.Reason}", IsNonRetriable: true)),
            _ => null,
        };
        return result is null
            ? null
            : new OrchestrationMessage(
                $"{parent.InstanceId}:{parent.ExecutionId}:sub:{parent.TaskScheduledId}",
                parent.InstanceId,
                parent.ExecutionId,
                result with { Timestamp = now },
                now);
    }
}
