using AgentOrchestrator.DurableTask.CrashWorker;
using AgentOrchestrator.Testing;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace AgentOrchestrator.DurableTask.Tests.Crash;

/// <summary>
/// The crash tests on Microsoft's DurableTask.AzureStorage over Azurite, a fresh task hub per test. Durable at the kill: a
/// step's <c>TaskCompleted</c> in the instance's history as the client reads it (results still in a control queue are
/// durable too but cannot be listed: a dead worker's dequeued messages are invisible, so they are not counted).
/// Recovery waits for the dead worker's partition leases to expire (<see cref="CrashStores.AzureLeaseInterval"/>, then
/// the next acquire round) and for the messages it had dequeued to become visible again
/// (<see cref="CrashStores.AzureVisibilityTimeout"/>, running at the same time), then runs the remaining steps.
/// </summary>
[Trait("Category", "Crash")]
[Trait("Category", "AzureStorage")]
public sealed class AzureStorageCrashRecoveryTests(ITestOutputHelper output) : CrashRecoveryTests(output)
{
    private readonly string _hubName = "crash" + Guid.NewGuid().ToString("N")[..16];
    private AzureStorageOrchestrationService? _service;

    /// <inheritdoc />
    protected override WorkerOptions Worker => new() { Ledger = LedgerPath, AzureConnectionString = Azurite.ConnectionString, HubName = _hubName };

    /// <inheritdoc />
    /// <remarks>Lease expiry and the next acquire round (17 s), the remaining steps and process start-up, with room for a loaded machine.</remarks>
    protected override TimeSpan RecoveryBound => CrashStores.AzureLeaseInterval + CrashStores.AzureLeaseAcquireInterval + TimeSpan.FromSeconds(40);

    /// <inheritdoc />
    protected override string RecoveryBoundReason =>
        $"the dead worker's partition leases expire after {CrashStores.AzureLeaseInterval.TotalSeconds} s and are taken within "
        + $"{CrashStores.AzureLeaseAcquireInterval.TotalSeconds} s; its dequeued messages reappear after {CrashStores.AzureVisibilityTimeout.TotalSeconds} s";

    [Fact]
    public Task Worker_KilledMidActivity_RestartCompletesEveryChainAndRepeatsNoDurableStep() => KillMidActivityAndRecoverAsync();

    /// <inheritdoc />
    protected override IOrchestrationService CreateClientService(ILoggerFactory loggerFactory)
        => _service = CrashStores.AzureStorage(Azurite.ConnectionString, _hubName, loggerFactory);

    /// <inheritdoc />
    protected override async Task<HashSet<(string Instance, int Step)>> DurableStepsAsync(IReadOnlyList<string> instanceIds)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var steps = new HashSet<(string, int)>();
        foreach (var id in instanceIds)
        {
            var history = await Client.GetOrchestrationHistoryAsync(id, timeout.Token);
            steps.UnionWith(DurableSteps.Completed(id, [.. history]));
        }

        return steps;
    }

    /// <inheritdoc />
    protected override async Task CleanUpStoreAsync()
    {
        if (_service is not null)
        {
            await _service.DeleteAsync();
        }
    }
}
