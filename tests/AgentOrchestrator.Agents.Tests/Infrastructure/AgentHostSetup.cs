using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.DurableTask;
using AgentOrchestrator.DurableTask.Configuration;
using AgentOrchestrator.Tools;
using AgentOrchestrator.DurableTask.Sqlite;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentOrchestrator.Agents.Tests.Infrastructure;

/// <summary>How the tests (and their crash-worker process) wire an agent service: the session tasks on DTFx over an
/// orchestration service, the real sample manifests pointed at the sample services' loopback address, sessions, and a
/// given model.</summary>
internal static class AgentHostSetup
{
    public const string CrmKey = "crm-test-key";
    public const string BillingKey = "billing-test-key";

    /// <summary>Control-queue partitions of the Azure Storage task hubs the tests use (the retired engine's scale-out test used 6 too).</summary>
    public const int AzurePartitions = 6;

    public static Dictionary<string, string?> Settings(Uri samplesBaseAddress) => new()
    {
        ["AgentTools:ManifestsPath"] = Path.Combine(AppContext.BaseDirectory, "manifests"),
        ["AgentTools:WatchManifests"] = "false",
        ["AgentTools:Services:crm:BaseUrl"] = new Uri(samplesBaseAddress, "/crm").ToString(),
        ["AgentTools:Services:billing:BaseUrl"] = new Uri(samplesBaseAddress, "/billing").ToString(),
        ["CRM_API_KEY"] = CrmKey,
        ["Values:BILLING_API_KEY"] = BillingKey,

        // Retries keep their counts but not their minutes-long waits, so rollbacks that keep failing park quickly.
        ["Agents:Session:MaxRetryDelay"] = "00:00:00.050",
    };

    /// <summary>
    /// An agent worker on the SQLite orchestration service in <paramref name="databasePath"/>, the session event log in a file
    /// beside it; <paramref name="maxDeliveries"/> overrides how often a task is delivered before it is set aside as poison.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(IDictionary<string, string?> settings, IChatClient model, string databasePath, int? maxDeliveries = null)
        => CreateBuilder(settings, model, Path.GetDirectoryName(databasePath)!, sp => Service(databasePath, sp, maxDeliveries), _ => new SqliteSessionEventLog(EventsFile(databasePath)));

    /// <summary>
    /// An agent worker on the DurableTask.AzureStorage task hub <paramref name="hub"/>, with the session event log on the
    /// hub's Azure Table, as a scale-out host runs; <paramref name="connectionString"/> is the storage account (Azurite), and
    /// <paramref name="workerId"/> names the worker as the owner of its partition leases.
    /// </summary>
    public static HostApplicationBuilder CreateAzureBuilder(IDictionary<string, string?> settings, IChatClient model, string hub, string connectionString, string workerId)
        => CreateBuilder(settings, model, AppContext.BaseDirectory, sp => AzureService(hub, connectionString, sp.GetRequiredService<ILoggerFactory>(), workerId), _ => AzureEventLog(hub, connectionString));

    /// <summary>A session client over the file, with no worker: for a test process while worker processes run the sessions.</summary>
    public static ServiceProvider ClientOnly(string databasePath)
        => ClientOnly(sp => Service(databasePath, sp), new SqliteSessionEventLog(EventsFile(databasePath)));

    /// <summary>A session client on the Azure Storage task hub <paramref name="hub"/>, with no worker.</summary>
    public static ServiceProvider AzureClientOnly(string hub, string connectionString)
        => ClientOnly(sp => AzureService(hub, connectionString, sp.GetRequiredService<ILoggerFactory>()), AzureEventLog(hub, connectionString));

    /// <summary>
    /// The DurableTask.AzureStorage service on <paramref name="hub"/>, configured as the host configures it
    /// (<see cref="OrchestrationServiceFactory.AzureStorageSettings"/>), then with short leases and visibility timeouts: a
    /// killed worker's partitions move to another worker about 6 s after its last lease renewal instead of 30 s, and the
    /// queue messages it had taken become visible again after 6 s instead of 5 minutes. Renewals every 2 s keep a live
    /// worker's leases well inside that.
    /// </summary>
    public static AzureStorageOrchestrationService AzureService(string hub, string connectionString, ILoggerFactory loggerFactory, string? workerId = null)
    {
        var options = new DurableTaskHostOptions
        {
            HubName = hub,
            StorageProvider = { Type = StorageProviderType.AzureStorage, PartitionCount = AzurePartitions, MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500) },
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = connectionString }).Build();
        var settings = OrchestrationServiceFactory.AzureStorageSettings(options, configuration, loggerFactory);
        settings.LeaseInterval = TimeSpan.FromSeconds(6);
        settings.LeaseRenewInterval = TimeSpan.FromSeconds(2);
        settings.LeaseAcquireInterval = TimeSpan.FromSeconds(2);
        settings.WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(6);
        settings.ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(6);
        if (workerId is not null)
        {
            settings.WorkerId = workerId;
        }

        return new AzureStorageOrchestrationService(settings);
    }

    /// <summary>The session event log of <paramref name="hub"/> on Azure Tables, with the storage client's retries made quick.</summary>
    public static AzureTableSessionEventLog AzureEventLog(string hub, string connectionString)
    {
        var options = new AzureTableSessionEventLogOptions { ConnectionString = connectionString, HubName = hub };
        options.TableClientOptions.Retry.Delay = options.BlobClientOptions.Retry.Delay = TimeSpan.FromMilliseconds(20);
        options.TableClientOptions.Retry.MaxDelay = options.BlobClientOptions.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
        return new AzureTableSessionEventLog(options, TimeProvider.System, NullLogger<AzureTableSessionEventLog>.Instance);
    }

    private static HostApplicationBuilder CreateBuilder(
        IDictionary<string, string?> settings, IChatClient model, string contentRoot, Func<IServiceProvider, IOrchestrationService> service, Func<IServiceProvider, ISessionEventLog> eventLog)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = contentRoot });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddAgentTools(builder.Configuration);
        builder.Services.AddDurableTaskHost(service, r => r.AddAgentSessionTasks());
        builder.Services.AddSingleton<ISessionEventLog>(eventLog);
        builder.Services.AddAgentSessions(builder.Configuration);
        builder.Services.AddSingleton(model);
        return builder;
    }

    private static ServiceProvider ClientOnly(Func<IServiceProvider, IOrchestrationService> service, ISessionEventLog eventLog)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDurableTaskClientFor(service);
        services.AddSingleton<ISessionEventLog>(eventLog);
        services.AddAgentSessions(new ConfigurationBuilder().Build());
        return services.BuildServiceProvider();
    }

    /// <summary>The session event log's own file, beside the orchestration service's (as the host keeps it).</summary>
    private static string EventsFile(string databasePath) => Path.Combine(Path.GetDirectoryName(databasePath)!, "session-events.db");

    /// <summary>The SQLite service on <paramref name="databasePath"/>, with short locks so a hung worker's work moves on in seconds.</summary>
    private static SqliteOrchestrationService Service(string databasePath, IServiceProvider services, int? maxDeliveries = null)
    {
        var settings = new SqliteOrchestrationServiceSettings { DatabasePath = databasePath, TaskHubName = "agents", LockTimeout = TimeSpan.FromSeconds(5) };
        if (maxDeliveries is { } max)
        {
            settings.MaxDeliveryCount = max;
        }

        return new SqliteOrchestrationService(settings, services.GetRequiredService<ILoggerFactory>());
    }
}
