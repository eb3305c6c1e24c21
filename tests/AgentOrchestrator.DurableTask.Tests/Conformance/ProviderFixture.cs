using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Tests.Conformance;

/// <summary>
/// One orchestration service under test: a host on a fresh task hub shared by a test class, and more hosts on demand
/// (takeover scenarios). Each provider's fixture says how to make its service and where it differs.
/// </summary>
public abstract class ProviderFixture : IAsyncLifetime
{
    private readonly List<TestHost> _hosts = [];

    /// <summary>The task hub the shared host runs.</summary>
    public string HubName { get; } = "c" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The host most tests use.</summary>
    public TestHost Host { get; private set; } = null!;

    /// <summary>How this provider differs from the others, where the suite checks a difference.</summary>
    public abstract ProviderTraits Traits { get; }

    /// <summary>Creates the provider's service for <paramref name="hubName"/>; a short lock timeout when asked.</summary>
    public abstract IOrchestrationService CreateService(string hubName, bool shortLocks = false);

    /// <summary>Starts another host on a task hub (the shared one unless named), stopped with the fixture.</summary>
    public async Task<TestHost> StartHostAsync(IOrchestrationService service)
    {
        var host = await TestHost.StartAsync(service);
        _hosts.Add(host);
        return host;
    }

    /// <inheritdoc />
    public async Task InitializeAsync() => Host = await StartHostAsync(CreateService(HubName));

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await CleanUpAsync();
    }

    /// <summary>Removes what the provider created for the fixture's hubs.</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;
}
