using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Durable.Worker;

/// <summary>Runs one locked activity task and delivers its result (and the log entries that go with it) to its instance.</summary>
internal sealed class ActivityRunner(
    IDurableStore store,
    DurableTaskRegistry registry,
    IServiceProvider services,
    DurableWorkNotifier notifier,
    WorkScheduler scheduler,
    EpisodeRunner episodes,
    InstanceLogNotifier logNotifier,
    Func<LockRequest> newLock,
    DurableWorkerOptions options,
    TimeProvider time,
    ILogger logger)
{
    public async Task RunAsync(ActivityWorkItem item, CancellationToken stopping)
    {
        var task = item.Task;
        DeadLetter? deadLetter = null;
        HistoryEvent outcome;
        IReadOnlyList<InstanceLogEntry> log = [];
        if (item.DeliveryCount > options.MaxDeliveries)
        {
            var failure = new FailureDetails(
                "PoisonMessage",
                $"Activity '{task.Name}' was dead-lettered after {item.DeliveryCount} deliveries: each time, its worker stopped before finishing it.",
                IsNonRetriable: true);
            outcome = new TaskFailed(task.TaskId, failure);
            deadLetter = new DeadLetter(task.Id, task.InstanceId, DeadLetterKind.Activity, task.Name, task.Input, item.DeliveryCount, failure.Message, time.GetUtcNow());
            logger.ActivityDeadLettered(task.Id, task.Name, item.DeliveryCount);
        }
        else
        {
            using var running = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var renewal = RenewWhileRunningAsync(item, running.Token);
            try
            {
                (outcome, log) = await InvokeAsync(item, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                StopRenewal(running);
                await renewal;
                await TryAsync(() => store.AbandonActivityAsync(item), task.Id);
                return;
            }

            StopRenewal(running);
            await renewal;
        }

        var now = time.GetUtcNow();
        var result = new OrchestrationMessage(
            $"{task.InstanceId}:{task.ExecutionId}:result:{task.TaskId}", task.InstanceId, task.ExecutionId, outcome with { Timestamp = now }, now);
        await CompleteAsync(item, result, deadLetter, log);
    }

    /// <summary>
    /// Delivers the result. When an episode slot is free, the store can, and this worker holds the instance in memory,
    /// the next episode runs here and commits in the transaction that completes the activity (direct completion).
    /// Otherwise, or if that is refused, the result goes to the inbox; when the store can, the same transaction locks
    /// the instance, and its next episode starts here without a poll. The entries the activity queued for the event
    /// log go into the direct completion's transaction, or are appended just before the result goes to the inbox.
    /// </summary>
    private async Task CompleteAsync(ActivityWorkItem item, OrchestrationMessage result, DeadLetter? deadLetter, IReadOnlyList<InstanceLogEntry> log)
    {
        var slot = store is IDurableStoreHandoff or IDurableStoreDirectCompletion ? WorkScheduler.TryReserve(scheduler.OrchestrationSlots, 1) : 0;
        if (slot == 1 && deadLetter is null && store is IDurableStoreDirectCompletion direct
            && await episodes.TryCompleteDirectAsync(direct, item, result, log))
        {
            WorkScheduler.Release(scheduler.OrchestrationSlots, 1);
            return;
        }

        if (log.Count > 0)
        {
            if (!await TryAsync(() => store.AppendLogAsync(item.Task.InstanceId, log), item.Task.Id))
            {
                // Not delivered: the lock expires and the activity runs again, with its entries.
                WorkScheduler.Release(scheduler.OrchestrationSlots, slot);
                return;
            }

            logNotifier.Notify(item.Task.InstanceId);
        }

        if (store is not IDurableStoreHandoff handoff || slot == 0)
        {
            WorkScheduler.Release(scheduler.OrchestrationSlots, slot);
            if (await TryAsync(() => store.CompleteActivityAsync(item, result, deadLetter), item.Task.Id))
            {
                notifier.NotifyOrchestrations();
            }

            return;
        }

        OrchestrationWorkItem? next = null;
        try
        {
            await TryAsync(async () => next = await handoff.CompleteAndLockInstanceAsync(item, result, deadLetter, newLock()), item.Task.Id);
        }
        finally
        {
            if (next is null)
            {
                WorkScheduler.Release(scheduler.OrchestrationSlots, 1);
                notifier.NotifyOrchestrations();
            }
        }

        if (next is not null)
        {
            scheduler.StartEpisode(next);
        }
    }

    // Cancel synchronously: CancelAsync would queue the callbacks on the thread pool on every step.
#pragma warning disable CA1849
    private static void StopRenewal(CancellationTokenSource running) => running.Cancel();
#pragma warning restore CA1849

    /// <summary>Runs the activity; returns its outcome and the log entries it queued to go with it.</summary>
    private async Task<(HistoryEvent Outcome, IReadOnlyList<InstanceLogEntry> Log)> InvokeAsync(ActivityWorkItem item, CancellationToken stopping)
    {
        var task = item.Task;
        if (registry.FindActivity(task.Name) is not { } registration)
        {
            return (new TaskFailed(task.TaskId, new FailureDetails(
                "ActivityNotRegistered", $"No activity named '{task.Name}' is registered on this worker.", IsNonRetriable: true)), []);
        }

        var context = new TaskActivityContext(task.Name, task.InstanceId, task.ExecutionId, task.TaskId, item.DeliveryCount);
        try
        {
            return (new TaskCompleted(task.TaskId, await registration.Run(services, context, task.Input, stopping)), context.OutcomeLog);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            logger.ActivityFailed(task.Name, task.InstanceId, e.Message);
            return (new TaskFailed(task.TaskId, FailureDetails.FromException(e)), context.OutcomeLog);
        }
    }

    private async Task RenewWhileRunningAsync(ActivityWorkItem item, CancellationToken running)
    {
        var interval = options.LockDuration / 3;
        try
        {
            while (true)
            {
                // Most activities end long before the first renewal: finishing cancels this wait, and a wait that
                // ends without throwing spares every activity an exception.
                await Task.Delay(interval, time, running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (running.IsCancellationRequested)
                {
                    return;
                }

                if (!await store.RenewActivityLockAsync(item, time.GetUtcNow() + options.LockDuration, running))
                {
                    logger.ActivityLockLost(item.Task.Id);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The activity finished.
        }
        catch (Exception e)
        {
            logger.ActivityCompletionError(item.Task.Id, e);
        }
    }

    private async Task<bool> TryAsync(Func<Task> storeCall, string taskId)
    {
        try
        {
            await storeCall();
            return true;
        }
        catch (Exception e)
        {
            // The lock expires and the task is delivered again; the result lands under the same id.
            logger.ActivityCompletionError(taskId, e);
            return false;
        }
    }
}
