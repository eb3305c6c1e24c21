using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>The checkpoint: one transaction per <c>CompleteTaskOrchestrationWorkItemAsync</c>.</summary>
public sealed partial class SqliteOrchestrationService
{
    /// <summary>
    /// Writes an episode's outcome in ONE transaction (see <see cref="CheckpointPlan"/>), only while the work item still holds
    /// the instance's lock: otherwise nothing is written and the call throws. Activity tasks go, already claimed, to this
    /// process's activity dispatcher when it has room, so they need no second write to be claimed. Sessions and waiters in
    /// this process are woken once the transaction is durable.
    /// </summary>
    public async Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage? continuedAsNewMessage,
        OrchestrationState? orchestrationState)
    {
        var item = Item(workItem);
        ArgumentNullException.ThrowIfNull(newOrchestrationRuntimeState);
        var now = Now();
        var until = Ticks.Add(now, _settings.LockTimeout);
        var plan = CheckpointPlan.Create(
            item, newOrchestrationRuntimeState, outboundMessages ?? [], orchestratorMessages ?? [], timerMessages ?? [], continuedAsNewMessage,
            orchestrationState, now, until);
        var handoff = ReserveHandoff(plan.Tasks.Count);
        var handoffToken = NewToken();
        var fault = CheckpointFault;
        CheckpointResult result;
        try
        {
            result = await _writer.WriteAsync(scope => plan.Apply(scope, handoff, _owner, handoffToken, until, fault)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            CancelHandoff(handoff);
            if (e is LockLostException)
            {
                Log.InstanceLockLost(_logger, item.InstanceId);
            }

            // Results applied directly were not committed: their activities complete the ordinary way.
            plan.Direct.ToList().ForEach(d => d.Applied.TrySetResult(false));
            item.Direct = [];
            throw;
        }

        plan.Direct.ToList().ForEach(d => d.Applied.TrySetResult(true));
        item.Direct = [];
        item.Processed = true;
        item.Consumed = [];
        item.Uncounted = [];
        if (plan.Invalid)
        {
            item.Released = true;
            item.Close();
            return;
        }

        item.ExecutionId = plan.ExecutionId;
        item.Status = plan.Status;
        item.CustomStatus = plan.CustomStatus;
        item.HistoryLength = plan.HistoryLength;
        item.Released = !plan.KeepLock;
        if (plan.KeepLock)
        {
            item.LockedUntilUtc = Ticks.ToDateTime(until);
        }
        else
        {
            item.Close();
        }

        HandOff(result.HandedOff, handoffToken, until);
        if (plan.Tasks.Count > result.HandedOff.Count)
        {
            _activityWork.Set();
        }

        foreach (var dropped in result.Dropped)
        {
            Log.MessageDropped(_logger, dropped.EventType.ToString(), dropped.InstanceId, "the instance does not exist or has finished");
        }

        foreach (var target in result.Notified.Distinct(StringComparer.Ordinal))
        {
            NotifyInstance(target);
        }

        if (plan.Terminal)
        {
            _finished.Set(item.InstanceId);
        }

        Log.Checkpointed(_logger, item.InstanceId, plan.Status.ToString(), plan.HistoryLength, plan.Tasks.Count, result.Notified.Count);
    }

    /// <summary>Test hook: called inside the checkpoint transaction at named points, to make it fail midway.</summary>
    internal Action<string>? CheckpointFault { get; set; }
}
