using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Durable.Worker;

/// <summary>Runs one locked activity task and delivers its result to its instance's inbox.</summary>
internal sealed class ActivityRunner(
    IDurableStore store,
    DurableTaskRegistry registry,
    IServiceProvider services,
    DurableWorkNotifier notifier,
    DurableWorkerOptions options,
    TimeProvider time,
    ILogger logger)
{
    public async Task RunAsync(ActivityWorkItem item, CancellationToken stopping)
    {
        var task = item.Task;
        DeadLetter? deadLetter = null;
        HistoryEvent outcome;
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
                outcome = await InvokeAsync(item, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                await running.CancelAsync();
                await renewal;
                await TryAsync(() => store.AbandonActivityAsync(item), task.Id);
                return;
            }

            await running.CancelAsync();
            await renewal;
        }

        var now = time.GetUtcNow();
        var result = new OrchestrationMessage(
            $"{task.InstanceId}:{task.ExecutionId}:result:{task.TaskId}", task.InstanceId, task.ExecutionId, outcome with { Timestamp = now }, now);
        if (await TryAsync(() => store.CompleteActivityAsync(item, result, deadLetter), task.Id))
        {
            notifier.NotifyOrchestrations();
        }
    }

    private async Task<HistoryEvent> InvokeAsync(ActivityWorkItem item, CancellationToken stopping)
    {
        var task = item.Task;
        if (registry.FindActivity(task.Name) is not { } registration)
        {
            return new TaskFailed(task.TaskId, new FailureDetails(
                "ActivityNotRegistered", $"No activity named '{task.Name}' is registered on this worker.", IsNonRetriable: true));
        }

        var context = new TaskActivityContext(task.Name, task.InstanceId, task.ExecutionId, task.TaskId, item.DeliveryCount);
        try
        {
            return new TaskCompleted(task.TaskId, await registration.Run(services, context, task.Input, stopping));
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            logger.ActivityFailed(task.Name, task.InstanceId, e.Message);
            return new TaskFailed(task.TaskId, FailureDetails.FromException(e));
        }
    }

    private async Task RenewWhileRunningAsync(ActivityWorkItem item, CancellationToken running)
    {
        var interval = options.LockDuration / 3;
        try
        {
            while (true)
            {
                await Task.Delay(interval, time, running);
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
