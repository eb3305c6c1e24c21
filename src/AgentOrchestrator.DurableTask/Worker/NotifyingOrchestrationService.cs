using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Worker;

/// <summary>
/// The worker's view of the provider: every call goes to the provider unchanged, and after a checkpoint commits, the
/// <see cref="CheckpointNotifier"/> is told, so clients in this process waiting for that instance wake at once whatever
/// the provider (DurableTask.AzureStorage's own wait polls every 2 s). It also counts the work items the worker holds,
/// so a stopping host can let them finish before the provider is disposed under them.
/// </summary>
internal sealed class NotifyingOrchestrationService(IOrchestrationService inner, CheckpointNotifier notifier) : DelegatingOrchestrationService(inner)
{
    private readonly WorkItemCount _held = new();

    /// <summary>Completes when the worker holds no work item (at once if it holds none).</summary>
    public Task WhenNoWorkItemsHeld() => _held.WhenZero();

    public override async Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        await Inner.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState).ConfigureAwait(false);
        notifier.Notify(workItem.InstanceId);
    }

    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var item = await Inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken).ConfigureAwait(false);
        if (item is not null)
        {
            _held.Add(); // DTFx releases every orchestration work item it took, after completing or abandoning it
        }

        return item!;
    }

    public override async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        try
        {
            await Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem).ConfigureAwait(false);
        }
        finally
        {
            _held.Remove();
        }
    }

    public override async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var item = await Inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken).ConfigureAwait(false);
        if (item is not null)
        {
            _held.Add(); // completed or abandoned exactly once
        }

        return item!;
    }

    public override async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        try
        {
            await Inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage).ConfigureAwait(false);
        }
        finally
        {
            _held.Remove();
        }
    }

    public override async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        try
        {
            await Inner.AbandonTaskActivityWorkItemAsync(workItem).ConfigureAwait(false);
        }
        finally
        {
            _held.Remove();
        }
    }
}
