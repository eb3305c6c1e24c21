using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.Agents.Tests.Infrastructure;

namespace AgentOrchestrator.Agents.Tests.EventLog;

/// <summary>
/// The event-log conformance suite on Azure Tables over Azurite: a task hub (table and payload container) of its own
/// per test, and for the second host a second <see cref="AzureTableSessionEventLog"/> on the same table, as another
/// process would open it.
/// </summary>
[Trait("Category", "Conformance")]
[Trait("Category", "AzureStorage")]
public sealed class AzureTableSessionEventLogConformanceTests : SessionEventLogConformanceTests, IAsyncLifetime
{
    private readonly AzuriteHubs _hubs = new();

    /// <inheritdoc />
    protected override Task<ISessionEventLog> CreateLogAsync() => Task.FromResult<ISessionEventLog>(_hubs.CreateLog(_hubs.NewHub()));

    /// <inheritdoc />
    protected override Task<ISessionEventLog> OpenSecondHostAsync(ISessionEventLog log)
        => Task.FromResult<ISessionEventLog>(_hubs.CreateLog(_hubs.HubOf((AzureTableSessionEventLog)log)));

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task DisposeAsync() => _hubs.DisposeAsync().AsTask();
}
