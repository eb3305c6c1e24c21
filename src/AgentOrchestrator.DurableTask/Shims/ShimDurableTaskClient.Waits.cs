using Microsoft.DurableTask.Client;

namespace AgentOrchestrator.DurableTask.Shims;

/// <summary>
/// Waiting for an instance to start or finish: woken at once by this process's worker when it commits the instance's
/// checkpoint, and polling the provider (from 20 ms, doubling to 1 s) for instances other processes run.
/// </summary>
public sealed partial class ShimDurableTaskClient
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => WaitAsync(instanceId, getInputsAndOutputs, s => s != OrchestrationRuntimeStatus.Pending, cancellation);

    /// <inheritdoc />
    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => WaitAsync(instanceId, getInputsAndOutputs, s => s.IsTerminal(), cancellation);

    private async Task<OrchestrationMetadata> WaitAsync(
        string instanceId, bool getInputsAndOutputs, Func<OrchestrationRuntimeStatus, bool> done, CancellationToken cancellation)
    {
        var poll = FirstPoll;
        while (true)
        {
            var checkpoint = _storage.Notifier.NextCheckpoint(instanceId); // taken before the read: a commit in between is not missed
            try
            {
                var state = await GetStateAsync(instanceId, cancellation).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"No orchestration instance '{instanceId}' exists.");
                var metadata = state.ToMetadata(DataConverter, getInputsAndOutputs);
                if (done(metadata.RuntimeStatus))
                {
                    return metadata;
                }

                await Task.WhenAny(checkpoint, Task.Delay(poll, _time, cancellation)).ConfigureAwait(false);
                cancellation.ThrowIfCancellationRequested();
                poll = poll * 2 < LongestPoll ? poll * 2 : LongestPoll;
            }
            finally
            {
                _storage.Notifier.Forget(instanceId, checkpoint);
            }
        }
    }
}
