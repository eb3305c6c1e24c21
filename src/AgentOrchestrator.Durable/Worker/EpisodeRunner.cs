using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Orchestration;
using AgentOrchestrator.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Durable.Worker;

/// <summary>Runs one episode of a locked instance and commits it: cache or replay, apply the inbox, checkpoint.</summary>
internal sealed class EpisodeRunner(
    IDurableStore store,
    DurableTaskRegistry registry,
    ExecutionCache cache,
    DurableWorkNotifier notifier,
    WorkScheduler scheduler,
    Func<LockRequest> newLock,
    DurableWorkerOptions options,
    TimeProvider time,
    ILogger logger)
{
    public async Task RunAsync(OrchestrationWorkItem item)
    {
        try
        {
            var executor = cache.Take(item.InstanceId, item.Version) ?? await LoadAsync(item);
            var now = time.GetUtcNow();
            var consumed = new List<string>();
            var deadLetters = new List<DeadLetter>();
            executor.BeginEpisode(now);
            // A new execution's start goes first: a message raised while the previous execution was continuing
            // as new can sit earlier in the inbox than the start message the continue-as-new wrote.
            foreach (var message in item.Messages.OrderBy(m => m.Event is ExecutionStarted ? 0 : 1))
            {
                if (message.DeliveryCount > options.MaxDeliveries)
                {
                    consumed.Add(message.Id);
                    deadLetters.Add(DeadLetterFor(message, now));
                    logger.MessageDeadLettered(message.Id, item.InstanceId, message.DeliveryCount);
                    if (message.Event is ExecutionStarted && executor.Started is null)
                    {
                        executor.Apply(new ExecutionFailed(new FailureDetails(
                            "PoisonMessage", $"The start message was dead-lettered after {message.DeliveryCount} deliveries.", IsNonRetriable: true))
                        { Timestamp = now });
                    }

                    continue;
                }

                if (executor.IsSuspended && !message.IsControl)
                {
                    continue; // Stays in the inbox until the instance is resumed.
                }

                consumed.Add(message.Id);
                var stale = message.ExecutionId is not null && message.ExecutionId != item.ExecutionId;
                if (!stale)
                {
                    executor.Apply(message.Event); // after the end it applies nothing, but carries events past a continue-as-new
                }
            }

            var episode = executor.EndEpisode();
            var checkpoint = CheckpointBuilder.Build(item, executor, episode, consumed, deadLetters, now);
            var (version, handedOver) = await CommitAsync(item, checkpoint);
            logger.EpisodeCommitted(item.InstanceId, version, checkpoint.NewEvents.Count, checkpoint.ActivityTasks.Count, checkpoint.Messages.Count, checkpoint.Instance.Status);
            if (episode.Outcome is null)
            {
                cache.Put(item.InstanceId, version, executor);
            }
            else if (checkpoint.Instance.Status.IsTerminal())
            {
                logger.InstanceFinished(item.InstanceId, checkpoint.Instance.Status);
            }

            Notify(checkpoint, handedOver, resumed: item.Messages.Any(m => m.Event is ExecutionResumed));
        }
        catch (OrchestrationConcurrencyException)
        {
            logger.EpisodeConflict(item.InstanceId);
        }
        catch (Exception e)
        {
            logger.EpisodeError(item.InstanceId, e);
            await AbandonQuietlyAsync(item);
        }
    }

    private async Task<OrchestrationExecutor> LoadAsync(OrchestrationWorkItem item)
    {
        var executor = new OrchestrationExecutor(item.InstanceId, registry.FindOrchestrator);
        if (item.Status != OrchestrationRuntimeStatus.Pending)
        {
            executor.Replay(await store.GetHistoryAsync(item.InstanceId));
        }

        return executor;
    }

    /// <summary>
    /// Commits the checkpoint. When the store can, the same transaction locks the activity tasks it enqueues
    /// for as many free activity slots as this worker has, and they start here without a poll.
    /// </summary>
    private async Task<(long Version, int HandedOver)> CommitAsync(OrchestrationWorkItem item, OrchestrationCheckpoint checkpoint)
    {
        if (store is not IDurableStoreHandoff handoff || checkpoint.ActivityTasks.Count == 0)
        {
            return (await store.CommitOrchestrationAsync(item, checkpoint), 0);
        }

        var reserved = WorkScheduler.TryReserve(scheduler.ActivitySlots, checkpoint.ActivityTasks.Count);
        var used = 0;
        try
        {
            var commit = await handoff.CommitAndLockActivitiesAsync(item, checkpoint, newLock(), reserved);
            foreach (var task in commit.LockedActivities.Take(reserved))
            {
                scheduler.StartActivity(task);
                used++;
            }

            return (commit.Version, used);
        }
        finally
        {
            WorkScheduler.Release(scheduler.ActivitySlots, reserved - used);
        }
    }

    private void Notify(OrchestrationCheckpoint checkpoint, int handedOver, bool resumed)
    {
        if (checkpoint.ActivityTasks.Count > handedOver)
        {
            notifier.NotifyActivities();
        }

        // A resumed instance may have messages that were held while it was suspended: they are deliverable now.
        if (checkpoint.Messages.Count > 0 || checkpoint.NewInstances.Count > 0 || resumed)
        {
            notifier.NotifyOrchestrations();
        }

        notifier.NotifyInstanceChanged();
    }

    private async Task AbandonQuietlyAsync(OrchestrationWorkItem item)
    {
        try
        {
            await store.AbandonOrchestrationAsync(item);
        }
        catch (Exception e)
        {
            // The lock expires by itself; the messages are delivered again then.
            logger.EpisodeError(item.InstanceId, e);
        }
    }

    private static DeadLetter DeadLetterFor(OrchestrationMessage message, DateTimeOffset now)
        => new(
            message.Id,
            message.InstanceId,
            DeadLetterKind.Orchestration,
            message.Event.Kind,
            HistorySerializer.SerializeMessage(message),
            message.DeliveryCount,
            $"Delivered {message.DeliveryCount} times without a successful checkpoint.",
            now);
}
