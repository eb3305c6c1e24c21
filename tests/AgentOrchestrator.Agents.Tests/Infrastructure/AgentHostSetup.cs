using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.DurableTask;
using AgentOrchestrator.Tools;
using AgentOrchestrator.DurableTask.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Agents.Tests.Infrastructure;

/// <summary>How the tests (and their crash-worker process) wire an agent service: the session tasks on DTFx over an
/// orchestration service, the real sample manifests pointed at the sample services' loopback address, sessions, and a
/// given model.</summary>
internal static class AgentHostSetup
{
    public const string CrmKey = "crm-test-key";
    public const string BillingKey = "billing-test-key";

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

    public static HostApplicationBuilder CreateBuilder(IDictionary<string, string?> settings, IChatClient model, string databasePath)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Path.GetDirectoryName(databasePath) });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddAgentTools(builder.Configuration);
        builder.Services.AddDurableTaskHost(sp => Service(databasePath, sp), r => r.AddAgentSessionTasks());
        builder.Services.AddSingleton<ISessionEventLog>(new SqliteSessionEventLog(EventsFile(databasePath)));
        builder.Services.AddAgentSessions(builder.Configuration);
        builder.Services.AddSingleton(model);
        return builder;
    }

    /// <summary>A session client over the file, with no worker: for a test process while worker processes run the sessions.</summary>
    public static ServiceProvider ClientOnly(string databasePath)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDurableTaskClientFor(sp => Service(databasePath, sp));
        services.AddSingleton<ISessionEventLog>(new SqliteSessionEventLog(EventsFile(databasePath)));
        services.AddAgentSessions(new ConfigurationBuilder().Build());
        return services.BuildServiceProvider();
    }

    /// <summary>The session event log's own file, beside the orchestration service's (as the host keeps it).</summary>
    private static string EventsFile(string databasePath) => Path.Combine(Path.GetDirectoryName(databasePath)!, "session-events.db");

    /// <summary>The SQLite service on <paramref name="databasePath"/>, with short locks so a hung worker's work moves on in seconds.</summary>
    private static SqliteOrchestrationService Service(string databasePath, IServiceProvider services) => new(
        new SqliteOrchestrationServiceSettings { DatabasePath = databasePath, TaskHubName = "agents", LockTimeout = TimeSpan.FromSeconds(5) },
        services.GetRequiredService<ILoggerFactory>());
}
