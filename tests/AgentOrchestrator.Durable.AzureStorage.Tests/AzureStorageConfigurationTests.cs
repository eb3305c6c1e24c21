using Microsoft.Extensions.Configuration;

namespace AgentOrchestrator.Durable.AzureStorage.Tests;

public sealed class AzureStorageConfigurationTests
{
    [Fact]
    public void Bind_HostJsonAndLocalSettings_ReadsHubPartitionsLeaseAndConnection()
    {
        var folder = Directory.CreateTempSubdirectory("agentorch-config-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "host.json"), """{ "DurableTask": { "HubName": "Orders", "PartitionCount": 8, "LeaseDurationSeconds": 20 } }""");
            File.WriteAllText(Path.Combine(folder.FullName, "local.settings.json"), """{ "Values": { "AzureWebJobsStorage": "UseDevelopmentStorage=true;x=1" } }""");
            var configuration = new ConfigurationBuilder().SetBasePath(folder.FullName).AddJsonFile("host.json").AddJsonFile("local.settings.json").Build();

            var options = AzureStorageConfiguration.Bind(configuration, new AzureStorageStoreOptions());

            Assert.Equal("Orders", options.HubName);
            Assert.Equal(8, options.PartitionCount);
            Assert.Equal(TimeSpan.FromSeconds(20), options.LeaseDuration);
            Assert.Equal("UseDevelopmentStorage=true;x=1", options.ConnectionString);
            options.Validate();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("DurableTask:HubName", "my-hub", "HubName")]
    [InlineData("DurableTask:PartitionCount", "17", "PartitionCount")]
    [InlineData("DurableTask:LeaseDurationSeconds", "5", "LeaseDuration")]
    public void Validate_BadSetting_NamesIt(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var options = AzureStorageConfiguration.Bind(configuration, new AzureStorageStoreOptions());

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
