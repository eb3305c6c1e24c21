using AgentOrchestrator.DurableTask.Configuration;
using AgentOrchestrator.DurableTask.Sqlite;
using AgentOrchestrator.DurableTask.Tests.Conformance;
using DurableTask.Core;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.DurableTask.Tests.Providers;

/// <summary>The conformance suite on the project's SQLite orchestration service, one file per task hub in a temp folder.</summary>
public sealed class SqliteConformanceTests(SqliteConformanceTests.SqliteFixture fixture) : ProviderConformanceTests<SqliteConformanceTests.SqliteFixture>(fixture)
{
    /// <summary>A temp folder of SQLite files, deleted afterwards.</summary>
    public sealed class SqliteFixture : ProviderFixture
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("ao-conformance-").FullName;

        /// <inheritdoc />
        /// <remarks>Named difference: an event to an instance that does not exist throws (Azure Storage accepts and drops it).</remarks>
        public override ProviderTraits Traits { get; } = new(ReturnsHistory: true, SeveralWorkersShareAHub: true, MissingInstanceEvent.Throws, TimerGranularity: TimeSpan.Zero);

        /// <inheritdoc />
        public override IOrchestrationService CreateService(string hubName, bool shortLocks = false)
        {
            var options = new DurableTaskHostOptions { HubName = hubName, StorageProvider = { DatabaseFile = Path.Combine(_folder, hubName + ".db") } };
            var settings = OrchestrationServiceFactory.SqliteSettings(options);
            if (shortLocks)
            {
                // A hung worker's locks lapse after seconds instead of minutes (its process still runs, so it is not a dead owner).
                settings.LockTimeout = TimeSpan.FromSeconds(3);
            }

            return new SqliteOrchestrationService(settings);
        }

        /// <inheritdoc />
        protected override Task CleanUpAsync()
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
            return Task.CompletedTask;
        }
    }
}
