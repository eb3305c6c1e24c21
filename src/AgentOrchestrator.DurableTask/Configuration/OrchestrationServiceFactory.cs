using AgentOrchestrator.DurableTask.Sqlite;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.DurableTask.Configuration;

/// <summary>Creates the orchestration service <see cref="DurableTaskHostOptions.StorageProvider"/> names.</summary>
public static class OrchestrationServiceFactory
{
    /// <summary>Creates the configured provider.</summary>
    /// <param name="options">The validated Durable Task settings.</param>
    /// <param name="configuration">Where connection strings are looked up by name.</param>
    /// <param name="loggerFactory">The provider's logging.</param>
    /// <param name="time">The clock of the providers that take one.</param>
    public static IOrchestrationService Create(DurableTaskHostOptions options, IConfiguration configuration, ILoggerFactory loggerFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(time);
        return options.StorageProvider.Type switch
        {
            StorageProviderType.AzureStorage => CreateAzureStorage(options, configuration, loggerFactory),
            _ => new SqliteOrchestrationService(SqliteSettings(options), loggerFactory, time),
        };
    }

    /// <summary>
    /// The connection string the <c>connectionStringName</c> setting names, looked up as Functions does: a plain setting
    /// (environment, or <c>local.settings.json</c> <c>Values</c>), then <c>ConnectionStrings:</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such setting holds a value.</exception>
    public static string ConnectionString(DurableTaskHostOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var name = options.StorageProvider.ConnectionStringName;
        var value = configuration[name] ?? configuration[$"Values:{name}"] ?? configuration.GetConnectionString(name);
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException(
                $"{DurableTaskHostOptions.SectionName}:storageProvider:type is AzureStorage, but the setting '{name}' (named by " +
                "storageProvider:connectionStringName) holds no connection string. Set it, e.g. to UseDevelopmentStorage=true for Azurite.")
            : value;
    }

    /// <summary>The SQLite service's settings the options give (callers may adjust them before creating the service).</summary>
    public static SqliteOrchestrationServiceSettings SqliteSettings(DurableTaskHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SqliteOrchestrationServiceSettings
        {
            DatabasePath = Path.GetFullPath(options.StorageProvider.DatabaseFile),
            TaskHubName = options.HubName,
            ExtendedSessionsEnabled = options.ExtendedSessionsEnabled,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(options.ExtendedSessionIdleTimeoutInSeconds),
            MaxConcurrentActivities = options.MaxConcurrentActivityFunctions,
            MaxConcurrentOrchestrations = options.MaxConcurrentOrchestratorFunctions,
        };
    }

    /// <summary>The DurableTask.AzureStorage settings the options give (callers may adjust them before creating the service).</summary>
    public static AzureStorageOrchestrationServiceSettings AzureStorageSettings(DurableTaskHostOptions options, IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(ConnectionString(options, configuration)),
            TaskHubName = options.HubName,
            PartitionCount = options.StorageProvider.PartitionCount,
            ExtendedSessionsEnabled = options.ExtendedSessionsEnabled,
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(options.ExtendedSessionIdleTimeoutInSeconds),
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivityFunctions,
            MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestratorFunctions,
            MaxQueuePollingInterval = options.StorageProvider.MaxQueuePollingInterval,
            // Several worker processes may run on one machine (the scale-out test runs three): each needs its own lease owner.
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}",
            LoggerFactory = loggerFactory,
            // A start that the dedupe statuses refuse throws, as with the other providers, instead of returning quietly.
            ThrowExceptionOnInvalidDedupeStatus = true,
            // A worker that stalls after writing history must not overwrite, later, the final status another worker wrote
            // (a finished session would read Running for ever): instance rows are written under their ETag too, at the
            // cost of one instance-table read per episode.
            UseInstanceTableEtag = true,
        };
    }

    private static AzureStorageOrchestrationService CreateAzureStorage(DurableTaskHostOptions options, IConfiguration configuration, ILoggerFactory loggerFactory)
        => new(AzureStorageSettings(options, configuration, loggerFactory));
}
