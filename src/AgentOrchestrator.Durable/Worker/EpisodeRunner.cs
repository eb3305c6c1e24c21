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
    InstanceLogNotifier logNotifier,
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
            await RunEpisodeAsync(item, executor, fromInbox: true, leadingLog: [], (checkpoint, max) => CommitAsync(item, checkpoint, max));
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

    /// <summary>
    /// Direct completion: when this worker holds the result's instance in memory, runs its next episode here with the
    /// result as its only message, and commits it in the transaction that completes the activity, with the entries the
    /// activity queued for the event log ahead of the episode's own. The caller holds an episode slot for it.
    /// </summary>
    /// <returns>
    /// Never throws. True when the episode was committed. False when the result must be delivered to the inbox as usual: then nothing
    /// was written and no executor the attempt changed is left in the cache.
    /// </returns>
    public async Task<bool> TryCompleteDirectAsync(
        IDurableStoreDirectCompletion direct, ActivityWorkItem activity, OrchestrationMessage result, IReadOnlyList<InstanceLogEntry> activityLog)
    {
        if (cache.TakeAny(result.InstanceId) is not { } cached)
        {
            return false;
        }

        var (version, executor) = cached;

        // Only a running execution that the result belongs to; anything else (suspended, another execution) goes the usual way.
        if (executor.Started is not { } started || started.ExecutionId != result.ExecutionId || executor.IsSuspended || executor.Outcome is not null)
        {
            cache.PutBack(result.InstanceId, version, executor);
            return false;
        }

        var item = new OrchestrationWorkItem(
            result.InstanceId, result.ExecutionId, started.Name, OrchestrationRuntimeStatus.Running, version, [result with { DeliveryCount = 1 }], "", default);
        var committed = false;
        try
        {
            await RunEpisodeAsync(item, executor, fromInbox: false, leadingLog: activityLog, async (checkpoint, max) =>
            {
                var commit = await direct.CompleteActivityAndCommitAsync(activity, item, checkpoint, newLock(), max);
                committed = true;
                return commit;
            });
            return true;
        }
        catch (Exception e) when (!committed)
        {
            // The executor applied the result in memory only; it was taken from the cache and is dropped here.
            logger.DirectCompletionFallback(result.InstanceId, activity.Task.Id, e.Message);
            return false;
        }
        catch (Exception e)
        {
            logger.EpisodeError(item.InstanceId, e);
            return true;
        }
    }

    /// <summary>
    /// The episode itself: applies the messages, ends the episode, builds the checkpoint (with <paramref name="leadingLog"/>, an
    /// activity's entries, ahead of the episode's own), commits it with <paramref name="commitCheckpoint"/> (given how many of its
    /// tasks this worker has free activity slots for), then caches the executor, starts the tasks the commit locked for this
    /// worker, and wakes whoever has work, readers of the event log included.
    /// </summary>
    private async Task RunEpisodeAsync(
        OrchestrationWorkItem item,
        OrchestrationExecutor executor,
        bool fromInbox,
        IReadOnlyList<InstanceLogEntry> leadingLog,
        Func<OrchestrationCheckpoint, int, Task<HandoffCommit>> commitCheckpoint)
    {
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
        var checkpoint = CheckpointBuilder.Build(item, executor, episode, fromInbox ? consumed : [], deadLetters, leadingLog, now);
        var reserved = store is IDurableStoreHandoff or IDurableStoreDirectCompletion ? WorkScheduler.TryReserve(scheduler.ActivitySlots, checkpoint.ActivityTasks.Count) : 0;
        var handedOver = 0;
        try
        {
            var commit = await commitCheckpoint(checkpoint, reserved);
            logger.EpisodeCommitted(item.InstanceId, commit.Version, checkpoint.NewEvents.Count, checkpoint.ActivityTasks.Count, checkpoint.Messages.Count, checkpoint.Instance.Status);
            if (episode.Outcome is null)
            {
                // Cached before the handed-over tasks start, so that their results find it.
                cache.Put(item.InstanceId, commit.Version, executor);
            }
            else if (checkpoint.Instance.Status.IsTerminal())
            {
                logger.InstanceFinished(item.InstanceId, checkpoint.Instance.Status);
            }

            foreach (var task in commit.LockedActivities.Take(reserved))
            {
                scheduler.StartActivity(task);
                handedOver++;
            }
        }
        finally
        {
            WorkScheduler.Release(scheduler.ActivitySlots, reserved - handedOver);
        }

        Notify(checkpoint, handedOver, resumed: item.Messages.Any(m => m.Event is ExecutionResumed));
        if (checkpoint.LogEntries.Count > 0)
        {
            logNotifier.Notify(item.InstanceId);
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
    /// Commits the checkpoint. When the store can, the same transaction locks up to <paramref name="maxActivities"/> of
    /// the activity tasks it enqueues for this worker, and they start here without a poll.
    /// </summary>
    private async Task<HandoffCommit> CommitAsync(OrchestrationWorkItem item, OrchestrationCheckpoint checkpoint, int maxActivities)
        => store is IDurableStoreHandoff handoff && maxActivities > 0
            ? await handoff.CommitAndLockActivitiesAsync(item, checkpoint, newLock(), maxActivities)
            : new HandoffCommit(await store.CommitOrchestrationAsync(item, checkpoint), []);

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
