using System.Diagnostics;
using AgentOrchestrator.DurableTask.Configuration;
using Azure.Data.Tables;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentOrchestrator.Benchmarks;

/// <summary>
/// Microsoft's DurableTask.AzureStorage provider on a fresh task hub, with the settings the host gives it (Azurite: run
/// <c>scripts/azurite.sh start</c> and <c>source scripts/azurite.env</c> first). The baseline is one bare entity-group
/// transaction (an upsert and an insert in one partition) against the same endpoint.
/// </summary>
public sealed class AzureChainTarget(string connectionString, int partitions) : IChainTarget
{
    private readonly List<AzureStorageOrchestrationService> _services = [];

    public string Name => "dtfx-azure";

    public string ExtraFigures => $"partitions={partitions}";

    public IOrchestrationService CreateService()
    {
        var options = new DurableTaskHostOptions
        {
            HubName = "bench" + Guid.NewGuid().ToString("N")[..12],
            StorageProvider = { Type = StorageProviderType.AzureStorage, PartitionCount = partitions },
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = connectionString }).Build();
        var service = new AzureStorageOrchestrationService(OrchestrationServiceFactory.AzureStorageSettings(options, configuration, NullLoggerFactory.Instance));
        _services.Add(service);
        return service;
    }

    public async Task DiscardAsync(IOrchestrationService service)
    {
        var azure = (AzureStorageOrchestrationService)service;
        _services.Remove(azure);
        await azure.DeleteAsync();
    }

    public async Task<double> BaselineCommitMsP50Async()
    {
        var table = new TableServiceClient(connectionString).GetTableClient($"baseline{Guid.NewGuid():N}");
        await table.CreateIfNotExistsAsync();
        try
        {
            var times = new List<double>(300);
            for (var i = 0; i < 300; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", "s") { ["Version"] = (long)i }),
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"h{i:D10}") { ["Events"] = "[{}]" }),
                ]);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return Percentiles.Of(times, 50);
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DeleteAsync();
        }
    }
}
