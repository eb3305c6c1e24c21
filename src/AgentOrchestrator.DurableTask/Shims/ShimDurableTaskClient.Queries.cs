using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Core = DurableTask.Core;
using CoreQuery = DurableTask.Core.Query.OrchestrationQuery;

namespace AgentOrchestrator.DurableTask.Shims;

/// <summary>Reading instances: one, a filtered page of them, their history; purging them.</summary>
public sealed partial class ShimDurableTaskClient
{
    /// <inheritdoc />
    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        var state = await GetStateAsync(instanceId, cancellation).ConfigureAwait(false);
        return state?.ToMetadata(DataConverter, getInputsAndOutputs);
    }

    /// <inheritdoc />
    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        var queries = _storage.QueryClient
            ?? throw new NotSupportedException($"{_storage.Service.GetType().Name} cannot query instances.");
        return Pageable.Create<OrchestrationMetadata>(async (continuation, pageSize, cancellation) =>
        {
            await _storage.EnsureCreatedAsync().WaitAsync(cancellation).ConfigureAwait(false);
            var query = new CoreQuery
            {
                RuntimeStatus = filter?.Statuses?.Select(s => s.ToCore()).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                TaskHubNames = filter?.TaskHubNames?.ToList(),
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                PageSize = pageSize ?? filter?.PageSize ?? OrchestrationQuery.DefaultPageSize,
                ContinuationToken = continuation ?? filter?.ContinuationToken,
                FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
            };
            var result = await queries.GetOrchestrationWithQueryAsync(query, cancellation).ConfigureAwait(false);
            return new Page<OrchestrationMetadata>(
                [.. result.OrchestrationState.Select(s => s.ToMetadata(DataConverter, query.FetchInputsAndOutputs))],
                string.IsNullOrEmpty(result.ContinuationToken) ? null : result.ContinuationToken);
        });
    }

    /// <inheritdoc />
    /// <remarks>The events of the instance's current execution, oldest first, as the provider stored them.</remarks>
    public override async Task<IList<HistoryEvent>> GetOrchestrationHistoryAsync(string instanceId, CancellationToken cancellation = default)
    {
        var state = await GetStateAsync(instanceId, cancellation).ConfigureAwait(false)
            ?? throw new ArgumentException($"No orchestration instance '{instanceId}' exists.", nameof(instanceId));
        string json;
        try
        {
            json = await Client.GetOrchestrationHistoryAsync(instanceId, state.OrchestrationInstance.ExecutionId).ConfigureAwait(false);
        }
        catch (NotImplementedException e)
        {
            throw new NotSupportedException($"{_storage.Service.GetType().Name} does not return orchestration histories.", e);
        }

        return HistoryJson.Parse(json);
    }

    /// <inheritdoc />
    /// <remarks>Only a finished instance (completed, failed, terminated) is purged; purging a running one throws.</remarks>
    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        RefuseRecursive(options);
        var state = await GetStateAsync(instanceId, cancellation).ConfigureAwait(false);
        if (state is null)
        {
            return new PurgeResult(0);
        }

        if (!state.OrchestrationStatus.ToRuntimeStatus().IsTerminal())
        {
            throw new InvalidOperationException(
                $"Instance '{instanceId}' is {state.OrchestrationStatus.ToRuntimeStatus()}; only completed, failed or terminated instances can be purged.");
        }

        var result = await Purger().PurgeInstanceStateAsync(instanceId).ConfigureAwait(false);
        return new PurgeResult(result.DeletedInstanceCount, result.IsComplete);
    }

    /// <inheritdoc />
    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        RefuseRecursive(options);
        await _storage.EnsureCreatedAsync().WaitAsync(cancellation).ConfigureAwait(false);
        var statuses = filter.Statuses?.Select(s => s.ToCore()).ToList()
            ?? [Core.OrchestrationStatus.Completed, Core.OrchestrationStatus.Failed, Core.OrchestrationStatus.Terminated];
        var coreFilter = new Core.PurgeInstanceFilter(filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue, filter.CreatedTo?.UtcDateTime, statuses)
        {
            Timeout = filter.Timeout,
        };
        var result = await Purger().PurgeInstanceStateAsync(coreFilter).ConfigureAwait(false);
        return new PurgeResult(result.DeletedInstanceCount, result.IsComplete);
    }

    private static void RefuseRecursive(PurgeInstanceOptions? options)
    {
        if (options?.Recursive == true)
        {
            throw new NotSupportedException("Recursive purge is not supported: purge each sub-orchestration by its id.");
        }
    }

    private Core.IOrchestrationServicePurgeClient Purger() => _storage.PurgeClient
        ?? throw new NotSupportedException($"{_storage.Service.GetType().Name} cannot purge instances.");

    private async Task<Core.OrchestrationState?> GetStateAsync(string instanceId, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        cancellation.ThrowIfCancellationRequested();
        await _storage.EnsureCreatedAsync().WaitAsync(cancellation).ConfigureAwait(false);
        var states = await Client.GetOrchestrationStateAsync(instanceId, allExecutions: false).ConfigureAwait(false);
        var state = states?.FirstOrDefault(s => s is not null);
        if (state is { OrchestrationStatus: Core.OrchestrationStatus.Failed, FailureDetails: null })
        {
            // DurableTask.AzureStorage keeps only "type: message" of a failure in its instance table; the whole failure
            // (with its inner failures) is in the history's completion event.
            state.FailureDetails = await FailureFromHistoryAsync(state).ConfigureAwait(false);
        }

        return state;
    }

    private async Task<Core.FailureDetails?> FailureFromHistoryAsync(Core.OrchestrationState state)
    {
        try
        {
            var json = await Client.GetOrchestrationHistoryAsync(state.OrchestrationInstance.InstanceId, state.OrchestrationInstance.ExecutionId).ConfigureAwait(false);
            return HistoryJson.Parse(json).OfType<ExecutionCompletedEvent>().LastOrDefault()?.FailureDetails;
        }
        catch (NotImplementedException)
        {
            return null;
        }
    }
}
