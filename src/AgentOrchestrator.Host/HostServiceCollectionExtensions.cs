using AgentOrchestrator.Agents;
using AgentOrchestrator.Agents.Model;
using AgentOrchestrator.Durable;
using AgentOrchestrator.Durable.Sqlite;
using AgentOrchestrator.Host.Api;
using AgentOrchestrator.Host.Security;
using AgentOrchestrator.SampleServices;
using AgentOrchestrator.Tools;
using Microsoft.Extensions.Hosting;

namespace AgentOrchestrator.Host;

/// <summary>Registers everything the host runs.</summary>
public static class HostServiceCollectionExtensions
{
    /// <summary>
    /// The embedded default unless configured otherwise: the SQLite store <c>sessions.db</c> in <c>DataFolder</c>
    /// (default <c>data</c> under the content root), the sample services with their databases under <c>data/</c>, the tools from
    /// <c>tools-manifests/</c>, agent sessions, API keys, and the model gateway (the offline demo model unless
    /// <c>Agents:Model</c> names an endpoint).
    /// </summary>
    public static IServiceCollection AddAgentOrchestratorHost(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var dataFolder = Path.GetFullPath(configuration["DataFolder"] ?? "data", configuration[HostDefaults.ContentRootKey] ?? Directory.GetCurrentDirectory());
        Directory.CreateDirectory(dataFolder);
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.SectionName));
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<SessionEventStream>();

        services.AddSampleServices(options =>
        {
            configuration.GetSection(SampleServicesOptions.SectionName).Bind(options);
            options.Crm.DatabasePath = Path.Combine(dataFolder, "crm.db");
            options.Billing.DatabasePath = Path.Combine(dataFolder, "billing.db");
        });
        services.AddAgentTools(configuration);
        services.AddDurableTask(r => r.AddAgentSessionTasks())
            .UseSqliteStore(o => o.DatabasePath = Path.Combine(dataFolder, configuration["DurableTask:Sqlite:DatabaseFile"] ?? "sessions.db"));
        services.AddAgentSessions(configuration);
        services.AddModelGateway(configuration);
        return services;
    }
}
