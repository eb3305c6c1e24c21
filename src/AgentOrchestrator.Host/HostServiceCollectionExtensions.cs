using AgentOrchestrator.Agents;
using AgentOrchestrator.Agents.Model;
using AgentOrchestrator.Api;
using AgentOrchestrator.Api.Telemetry;
using AgentOrchestrator.Host.Api;
using AgentOrchestrator.Host.Storage;
using AgentOrchestrator.Host.Telemetry;
using AgentOrchestrator.SampleServices;
using AgentOrchestrator.Tools;
using Microsoft.Extensions.Hosting;

namespace AgentOrchestrator.Host;

/// <summary>Registers everything the host runs.</summary>
public static class HostServiceCollectionExtensions
{
    /// <summary>
    /// The embedded default unless configured otherwise: the SQLite store <c>sessions.db</c> in <c>DataFolder</c>
    /// (default <c>data</c> under the content root), the sample services with their databases there too, the tools from
    /// <c>tools-manifests/</c>, agent sessions, API keys with rate limits, the model gateway (the scripted (offline) demo model unless
    /// <c>Agents:Model</c> names an endpoint), telemetry, the OpenAPI document, and logging that masks secrets and personal data.
    /// </summary>
    public static IServiceCollection AddAgentOrchestratorHost(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var dataFolder = Path.GetFullPath(configuration["DataFolder"] ?? "data", configuration[HostDefaults.ContentRootKey] ?? Directory.GetCurrentDirectory());
        Directory.CreateDirectory(dataFolder);
        services.AddAgentOrchestratorApi(configuration);
        services.AddHostOpenApi();

        services.AddSampleServices(options =>
        {
            configuration.GetSection(SampleServicesOptions.SectionName).Bind(options);
            options.Crm.DatabasePath = Path.Combine(dataFolder, "crm.db");
            options.Billing.DatabasePath = Path.Combine(dataFolder, "billing.db");
        });
        services.AddAgentTools(configuration);
        services.AddHostStore(configuration, dataFolder);
        services.AddModelGateway(configuration.GetSection(ModelGatewayOptions.SectionName));
        services.AddAgentSessions(configuration);
        services.AddHostTelemetry(configuration);
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"], timeout: TimeSpan.FromSeconds(5));
        services.AddHostedService<DeadLetterMonitor>();
        return services;
    }
}
