using AgentOrchestrator.Agents.EventLog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Agents.Tests.EventLog;

/// <summary>A host that registers the Azure Tables log gets it instead of the in-memory fallback, and bad options stop it.</summary>
public sealed class AzureTableSessionEventLogRegistrationTests
{
    [Fact]
    public void AddAzureTableSessionEventLog_AfterAddAgentSessions_ReplacesTheInMemoryLog()
    {
        var services = new ServiceCollection()
            .AddAgentSessions(new ConfigurationBuilder().Build())
            .AddAzureTableSessionEventLog(o => o.HubName = "RegisteredHub");
        using var provider = services.BuildServiceProvider();

        var log = Assert.IsType<AzureTableSessionEventLog>(provider.GetRequiredService<ISessionEventLog>());

        Assert.Equal("RegisteredHubSessionEvents", log.TableName);
        Assert.Same(log, provider.GetRequiredService<ISessionEventLog>());
    }

    [Fact]
    public void AddAzureTableSessionEventLog_BadHubName_FailsWithTheOptionNamed()
    {
        using var provider = new ServiceCollection().AddAzureTableSessionEventLog(o => o.HubName = "no").BuildServiceProvider();

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IOptions<AzureTableSessionEventLogOptions>>().Value);

        Assert.Contains("AzureTableSessionEventLogOptions.HubName", error.ToString(), StringComparison.Ordinal);
    }
}
