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
        // Short locks and a quick dead-owner scan, so a killed worker's work is taken over in seconds.
        builder.Services.AddDurableTaskHost(
            sp => new SqliteOrchestrationService(
                new SqliteOrchestrationServiceSettings { DatabasePath = databasePath, TaskHubName = "agents", LockTimeout = TimeSpan.FromSeconds(5) },
                sp.GetRequiredService<ILoggerFactory>()),
            r => r.AddAgentSessionTasks());
        builder.Services.AddSingleton<ISessionEventLog>(new SqliteSessionEventLog(databasePath));
        builder.Services.AddAgentSessions(builder.Configuration);
        builder.Services.AddSingleton(model);
        return builder;
    }
}
