using AgentOrchestrator.Agents;
using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.DurableTask;
using AgentOrchestrator.DurableTask.Configuration;
using AgentOrchestrator.Api.DeadLetters;
using AgentOrchestrator.DurableTask.Sqlite;

namespace AgentOrchestrator.Host.Storage;

/// <summary>Registers the Durable Task runtime with the session tasks, on the provider host.json names, and the session event log beside it.</summary>
public static class HostStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the orchestration service <c>extensions:durableTask</c> names (the SQLite file under the data folder by
    /// default, or DurableTask.AzureStorage), a Durable Task worker that runs the session tasks on it and a
    /// <c>DurableTaskClient</c>; the session event log in the same kind of storage (a SQLite file of its own in the data
    /// folder, <c>Agents:EventLog:DatabaseFile</c>, default <c>session-events.db</c>; or an Azure Table of the task hub);
    /// and where staff find what the provider set aside (<see cref="IDeadLetterSource"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration.</param>
    /// <param name="dataFolder">The folder a relative SQLite database file is resolved against.</param>
    public static IServiceCollection AddHostStore(this IServiceCollection services, IConfiguration configuration, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddDurableTaskHost(configuration, r => r.AddAgentSessionTasks(), o =>
            o.StorageProvider.DatabaseFile = Path.Combine(dataFolder, o.StorageProvider.DatabaseFile));
        var eventsFile = Path.Combine(dataFolder, configuration["Agents:EventLog:DatabaseFile"] ?? "session-events.db");
        services.AddSingleton<ISessionEventLog>(sp => EventLog(sp.GetRequiredService<DurableTaskHostOptions>(), configuration, eventsFile, sp));
        services.AddSingleton<IDeadLetterSource>(sp => sp.GetRequiredService<TaskHubStorage>().Service is SqliteOrchestrationService sqlite
            ? new SqliteDeadLetters(sqlite)
            : new NoDeadLetters(sp.GetRequiredService<TaskHubStorage>().Service.GetType().Name));
        return services;
    }

    private static ISessionEventLog EventLog(DurableTaskHostOptions options, IConfiguration configuration, string eventsFile, IServiceProvider services)
        => options.StorageProvider.Type switch
        {
            StorageProviderType.AzureStorage => new AzureTableSessionEventLog(
                new AzureTableSessionEventLogOptions
                {
                    ConnectionString = OrchestrationServiceFactory.ConnectionString(options, configuration),
                    HubName = options.HubName,
                },
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<AzureTableSessionEventLog>>()),
            // A file of its own beside the orchestration service's: two writers on one SQLite file wait on each other's
            // write lock (busy-timeout sleeps), which cost a step about 8x more in the agent benchmark.
            _ => new SqliteSessionEventLog(eventsFile),
        };
}
