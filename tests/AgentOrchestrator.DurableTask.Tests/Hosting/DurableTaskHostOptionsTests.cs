using System.Text;
using AgentOrchestrator.DurableTask.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrchestrator.DurableTask.Tests.Hosting;

/// <summary>The <c>extensions:durableTask</c> section of host.json, read as Durable Functions writes it.</summary>
public sealed class DurableTaskHostOptionsTests
{
    [Fact]
    public void Bind_FunctionsShapedHostJson_ReadsEverySetting()
    {
        var options = Bind("""
            { "version": "2.0", "extensions": { "durableTask": {
                "hubName": "Sessions1",
                "storageProvider": { "type": "AzureStorage", "connectionStringName": "MyStorage", "partitionCount": 8, "maxQueuePollingInterval": "00:00:02" },
                "extendedSessionsEnabled": false, "extendedSessionIdleTimeoutInSeconds": 45,
                "maxConcurrentActivityFunctions": 7, "maxConcurrentOrchestratorFunctions": 9 } } }
            """);

        options.Validate();
        Assert.Equal("Sessions1", options.HubName);
        Assert.Equal(StorageProviderType.AzureStorage, options.StorageProvider.Type);
        Assert.Equal("MyStorage", options.StorageProvider.ConnectionStringName);
        Assert.Equal(8, options.StorageProvider.PartitionCount);
        Assert.Equal(TimeSpan.FromSeconds(2), options.StorageProvider.MaxQueuePollingInterval);
        Assert.False(options.ExtendedSessionsEnabled);
        Assert.Equal(45, options.ExtendedSessionIdleTimeoutInSeconds);
        Assert.Equal(7, options.MaxConcurrentActivityFunctions);
        Assert.Equal(9, options.MaxConcurrentOrchestratorFunctions);
    }

    [Fact]
    public void Bind_NoSection_DefaultsToTheEmbeddedSqliteService()
    {
        var options = Bind("""{ "version": "2.0" }""");

        options.Validate();
        Assert.Equal(StorageProviderType.Sqlite, options.StorageProvider.Type);
        Assert.Equal("sessions.db", options.StorageProvider.DatabaseFile);
        Assert.True(options.ExtendedSessionsEnabled);
    }

    [Theory]
    [InlineData("""{ "hubName": "9lives" }""", "hubName")]
    [InlineData("""{ "hubName": "has-dash" }""", "hubName")]
    [InlineData("""{ "storageProvider": { "partitionCount": 17 } }""", "partitionCount")]
    [InlineData("""{ "maxConcurrentActivityFunctions": 0 }""", "maxConcurrentActivityFunctions")]
    [InlineData("""{ "extendedSessionIdleTimeoutInSeconds": 0 }""", "extendedSessionIdleTimeoutInSeconds")]
    [InlineData("""{ "storageProvider": { "type": "Sqlite", "databaseFile": " " } }""", "databaseFile")]
    public void Validate_OutOfRangeSetting_NamesTheSetting(string section, string setting)
    {
        var options = Bind($$"""{ "extensions": { "durableTask": {{section}} } }""");

        var error = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDurableTaskHost_AzureStorageWithoutConnectionString_FailsNamingTheSetting()
    {
        var configuration = Configuration("""{ "extensions": { "durableTask": { "storageProvider": { "type": "AzureStorage" } } } }""");
        var services = new ServiceCollection().AddLogging();
        services.AddDurableTaskHost(configuration, _ => { });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<TaskHubStorage>());

        Assert.Contains("AzureWebJobsStorage", error.Message, StringComparison.Ordinal);
        Assert.Contains("UseDevelopmentStorage=true", error.Message, StringComparison.Ordinal);
    }

    private static DurableTaskHostOptions Bind(string json)
    {
        var options = new DurableTaskHostOptions();
        Configuration(json).GetSection(DurableTaskHostOptions.SectionName).Bind(options);
        return options;
    }

    private static IConfiguration Configuration(string json)
        => new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
}
