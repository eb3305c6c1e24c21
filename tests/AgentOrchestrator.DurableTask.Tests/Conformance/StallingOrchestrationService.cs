using AgentOrchestrator.DurableTask.Worker;
using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Tests.Conformance;

/// <summary>
/// A provider seen through a worker that hangs: after <see cref="Stall"/>, every call the worker makes (fetch, renew,
/// complete, abandon, session fetch) waits until <see cref="Fail"/>, which makes them all throw. Client calls pass.
/// </summary>
internal sealed class StallingOrchestrationService(IOrchestrationService inner) : DelegatingOrchestrationService(inner), IOrchestrationServiceClient
{
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stalled;

    private IOrchestrationServiceClient Client => (IOrchestrationServiceClient)Inner;

    public void Stall() => _stalled = true;

    public void Fail() => _failed.TrySetException(new IOException("The stalled worker was cut off."));

    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        await Gate();
        var item = await Inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        if (item?.Session is { } session)
        {
            item.Session = new StallingSession(session, this);
        }

        return item!;
    }

    public override async Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem)
    {
        await Gate();
        await Inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);
    }

    public override async Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState)
    {
        await Gate();
        await Inner.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    public override async Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        await Gate();
        await Inner.AbandonTaskOrchestrationWorkItemAsync(workItem);
    }

    public override async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        await Gate();
        await Inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
    }

    public override async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        await Gate();
        return await Inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
    }

    public override async Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem)
    {
        await Gate();
        return await Inner.RenewTaskActivityWorkItemLockAsync(workItem);
    }

    public override async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        await Gate();
        await Inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    }

    public override async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        await Gate();
        await Inner.AbandonTaskActivityWorkItemAsync(workItem);
    }

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) => Client.CreateTaskOrchestrationAsync(creationMessage);

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses) => Client.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);

    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) => Client.SendTaskOrchestrationMessageAsync(message);

    public Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages) => Client.SendTaskOrchestrationMessageBatchAsync(messages);

    public Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken)
        => Client.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);

    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) => Client.ForceTerminateTaskOrchestrationAsync(instanceId, reason);

    public Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) => Client.GetOrchestrationStateAsync(instanceId, allExecutions);

    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) => Client.GetOrchestrationStateAsync(instanceId, executionId);

    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) => Client.GetOrchestrationHistoryAsync(instanceId, executionId);

    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType)
        => Client.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    private Task Gate() => _stalled ? _failed.Task : Task.CompletedTask;

    private sealed class StallingSession(IOrchestrationSession inner, StallingOrchestrationService owner) : IOrchestrationSession
    {
        public async Task<IList<TaskMessage>?> FetchNewOrchestrationMessagesAsync(TaskOrchestrationWorkItem workItem)
        {
            await owner.Gate();
            return await inner.FetchNewOrchestrationMessagesAsync(workItem);
        }

        public Task EndSessionAsync() => inner.EndSessionAsync();
    }
}
