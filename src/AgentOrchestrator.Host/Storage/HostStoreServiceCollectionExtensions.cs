using AgentOrchestrator.Agents;
using AgentOrchestrator.Durable;
using AgentOrchestrator.Durable.Sqlite;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Host.Storage;

/// <summary>Registers the durable engine with the session orchestration and the configured store.</summary>
public static class HostStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine (<c>AddDurableTask</c> with the session tasks), the store <see cref="HostStoreOptions"/>
    /// chooses; the store also serves the session event log (<see cref="IInstanceEventLog"/>, with its in-process notifier).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration.</param>
    /// <param name="dataFolder">The folder local stores keep their files in.</param>
    public static IServiceCollection AddHostStore(this IServiceCollection services, IConfiguration configuration, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new HostStoreOptions();
        configuration.GetSection(HostStoreOptions.SectionName).Bind(options);
        var engine = services.AddDurableTask(r => r.AddAgentSessionTasks());
        switch (options.Store)
        {
            case HostStoreKind.Sqlite:
                engine.UseSqliteStore(o => o.DatabasePath = Path.Combine(dataFolder, options.Sqlite.DatabaseFile));
                break;
            case HostStoreKind.AzureStorage:
                // Switch point for the Azure Storage store (src/AgentOrchestrator.Durable.AzureStorage). When that project is
                // in the solution: reference it from the host and call its builder extension here with
                // configuration[options.ConnectionStringSetting], e.g. engine.UseAzureStorageStore(o => o.ConnectionString = ...).
                throw new InvalidOperationException(
                    $"{HostStoreOptions.SectionName}:Store is AzureStorage, but this build of the host does not include the Azure Storage store yet. " +
                    $"Use {HostStoreOptions.SectionName}:Store=Sqlite (the default).");
            default:
                throw new InvalidOperationException($"{HostStoreOptions.SectionName}:Store must be Sqlite or AzureStorage.");
        }
        return services;
    }
}
