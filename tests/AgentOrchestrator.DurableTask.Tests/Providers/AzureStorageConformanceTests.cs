using AgentOrchestrator.DurableTask.Configuration;
using AgentOrchestrator.DurableTask.Tests.Conformance;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using AgentOrchestrator.Testing;

namespace AgentOrchestrator.DurableTask.Tests.Providers;

/// <summary>The conformance suite on Microsoft's DurableTask.AzureStorage provider, over Azurite.</summary>
[Trait("Category", "AzureStorage")]
public sealed class AzureStorageConformanceTests(AzureStorageConformanceTests.AzureFixture fixture) : ProviderConformanceTests<AzureStorageConformanceTests.AzureFixture>(fixture)
{
    /// <summary>A fresh task hub on Azurite per test class, deleted afterwards.</summary>
    public sealed class AzureFixture : ProviderFixture
    {
        private readonly List<AzureStorageOrchestrationService> _services = [];

        /// <inheritdoc />
        public override ProviderTraits Traits { get; } = new(ReturnsHistory: true, SeveralWorkersShareAHub: true, MissingInstanceEvent.Dropped, TimerGranularity: TimeSpan.FromSeconds(1));

        /// <inheritdoc />
        public override IOrchestrationService CreateService(string hubName, bool shortLocks = false)
        {
            var options = new DurableTaskHostOptions { HubName = hubName, StorageProvider = { Type = StorageProviderType.AzureStorage, PartitionCount = 2 } };
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = Azurite.ConnectionString }).Build();
            var settings = OrchestrationServiceFactory.AzureStorageSettings(options, configuration, NullLoggerFactory.Instance);
            if (shortLocks)
            {
                // What a hung worker holds becomes visible again after seconds instead of the default 5 minutes, and its
                // partitions move to another worker after seconds instead of 30.
                settings.WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(5);
                settings.ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(5);
                settings.LeaseInterval = TimeSpan.FromSeconds(10);
                settings.LeaseRenewInterval = TimeSpan.FromSeconds(3);
                settings.LeaseAcquireInterval = TimeSpan.FromSeconds(2);
                settings.WorkerId = $"worker-{Guid.NewGuid():N}";
            }

            var service = new AzureStorageOrchestrationService(settings);
            _services.Add(service);
            return service;
        }

        /// <inheritdoc />
        protected override async Task CleanUpAsync()
        {
            foreach (var service in _services)
            {
                await service.DeleteAsync();
            }
        }
    }
}
