using AgentOrchestrator.DurableTask.Configuration;
using AgentOrchestrator.DurableTask.Sqlite;
using DurableTask.AzureStorage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.DurableTask.CrashWorker;

/// <summary>
/// The orchestration services the crash worker runs on, made the way the hosts make them
/// (<see cref="OrchestrationServiceFactory"/>), with the timeouts that decide how soon a dead worker's work moves on.
/// The tests create their client-side services here too, so both sides agree.
/// </summary>
public static class CrashStores
{
    /// <summary>The task hub of the SQLite file.</summary>
    public const string SqliteHubName = "crash";

    /// <summary>
    /// The SQLite service's lock timeout: a minute, so a worker that resumes a dead predecessor's work within seconds can
    /// only have done so through crash takeover (freeing the locks of dead local processes at start), not lock expiry.
    /// </summary>
    public static readonly TimeSpan SqliteLockTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a partition's blob lease lasts without renewal on DurableTask.AzureStorage: 15 s, the shortest blob lease
    /// Azure Storage grants (default 30 s). A dead worker's partitions (its instances' control queues) move to another
    /// worker only after it expires.
    /// </summary>
    public static readonly TimeSpan AzureLeaseInterval = TimeSpan.FromSeconds(15);

    /// <summary>How often a worker renews its leases (default 10 s); well inside <see cref="AzureLeaseInterval"/>.</summary>
    public static readonly TimeSpan AzureLeaseRenewInterval = TimeSpan.FromSeconds(5);

    /// <summary>How often a worker looks for partitions to take (default 10 s).</summary>
    public static readonly TimeSpan AzureLeaseAcquireInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a dequeued control-queue or work-item message stays invisible (default 5 minutes): a message a dead
    /// worker had taken (an activity it was running, a result it had not checkpointed) is delivered again after this.
    /// </summary>
    public static readonly TimeSpan AzureVisibilityTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The SQLite service on <paramref name="databasePath"/>; <paramref name="connectionOpened"/> sees every connection it opens.</summary>
    public static SqliteOrchestrationService Sqlite(string databasePath, ILoggerFactory loggerFactory, Action<SqliteConnection>? connectionOpened = null)
    {
        var options = new DurableTaskHostOptions { HubName = SqliteHubName, StorageProvider = { DatabaseFile = databasePath } };
        var settings = OrchestrationServiceFactory.SqliteSettings(options);
        settings.LockTimeout = SqliteLockTimeout;
        settings.ConnectionOpened = connectionOpened;
        return new SqliteOrchestrationService(settings, loggerFactory);
    }

    /// <summary>DurableTask.AzureStorage on <paramref name="connectionString"/>, task hub <paramref name="hubName"/>, with short leases and visibility timeouts.</summary>
    public static AzureStorageOrchestrationService AzureStorage(string connectionString, string hubName, ILoggerFactory loggerFactory)
    {
        var options = new DurableTaskHostOptions { HubName = hubName, StorageProvider = { Type = StorageProviderType.AzureStorage, PartitionCount = 2 } };
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [options.StorageProvider.ConnectionStringName] = connectionString })
            .Build();
        var settings = OrchestrationServiceFactory.AzureStorageSettings(options, configuration, loggerFactory);
        settings.LeaseInterval = AzureLeaseInterval;
        settings.LeaseRenewInterval = AzureLeaseRenewInterval;
        settings.LeaseAcquireInterval = AzureLeaseAcquireInterval;
        settings.ControlQueueVisibilityTimeout = AzureVisibilityTimeout;
        settings.WorkItemQueueVisibilityTimeout = AzureVisibilityTimeout;
        return new AzureStorageOrchestrationService(settings);
    }
}
