using AgentOrchestrator.Agents;
using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.Agents.Model;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Api;
using AgentOrchestrator.Api.DeadLetters;
using AgentOrchestrator.Api.Telemetry;
using AgentOrchestrator.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentOrchestrator.Functions;

/// <summary>Registers what the Functions app runs besides the Functions worker and its Durable extension.</summary>
public static class FunctionsServiceCollectionExtensions
{
    /// <summary>The setting that holds the storage account of the Functions host, its task hub and the session event log.</summary>
    public const string StorageSetting = "AzureWebJobsStorage";

    /// <summary>
    /// Registers the API as the self-hosted service registers it (<c>AddAgentOrchestratorApi</c>), the tools (manifests
    /// from <c>AgentTools:ManifestsPath</c>, by default the <c>tools-manifests</c> folder deployed beside the binaries),
    /// the model gateway, the session services and telemetry; the session event log on Azure Tables in the
    /// <see cref="StorageSetting"/> account, named after the task hub (<c>extensions:durableTask:hubName</c>); an
    /// <see cref="AgentSessionClient"/> per invocation over the invocation's <c>[DurableClient]</c>; and the
    /// <see cref="ApiEndpointCatalog"/> and <see cref="ApiHttpTriggerRunner"/> the HTTP triggers call.
    /// </summary>
    public static IServiceCollection AddAgentOrchestratorFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddAgentOrchestratorApi(configuration);
        services.AddAgentTools(configuration, o =>
        {
            if (configuration[$"{AgentToolsOptions.SectionName}:{nameof(AgentToolsOptions.ManifestsPath)}"] is null)
            {
                o.ManifestsPath = Path.Combine(AppContext.BaseDirectory, "tools-manifests");
            }
        });
        services.AddModelGateway(configuration.GetSection(ModelGatewayOptions.SectionName));
        services.AddAgentSessions(configuration);
        services.AddAzureTableSessionEventLog(o =>
        {
            o.ConnectionString = configuration[StorageSetting] ?? throw new InvalidOperationException(
                $"The session event log keeps its table in the account the setting {StorageSetting} names, and the setting is empty. " +
                "Set it (UseDevelopmentStorage=true for Azurite).");
            o.HubName = configuration["extensions:durableTask:hubName"] ?? o.HubName;
        });
        // The Durable Task client comes with each invocation ([DurableClient]), so the session client is per invocation.
        services.AddScoped<InvocationDurableClient>();
        services.Replace(ServiceDescriptor.Scoped(sp => ActivatorUtilities.CreateInstance<AgentSessionClient>(sp, sp.GetRequiredService<InvocationDurableClient>().Client)));
        services.AddSingleton<IDeadLetterSource>(new NoDeadLetters("The Functions host's Durable Task storage provider"));
        services.AddHostTelemetry(configuration);
        services.AddSingleton<ApiEndpointCatalog>();
        services.AddSingleton<ApiHttpTriggerRunner>();
        return services;
    }
}
