using System.ClientModel;
using AgentOrchestrator.Agents.Demo;
using AgentOrchestrator.Host.Telemetry;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AgentOrchestrator.Host.Model;

/// <summary>Registers the model gateway: the <see cref="IChatClient"/> the session activities call.</summary>
public static class ModelGatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the client <see cref="ModelGatewayOptions"/> (<c>Model</c>) chooses: the offline demo model by default,
    /// Azure OpenAI, or an OpenAI-compatible endpoint, wrapped with pricing (<see cref="PricedChatClient"/>) and
    /// OpenTelemetry (gen_ai spans and metrics; message contents are not recorded). Bad settings stop the host at start.
    /// </summary>
    public static IServiceCollection AddModelGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ModelGatewayOptions();
        configuration.GetSection(ModelGatewayOptions.SectionName).Bind(options);
        var apiKey = configuration[options.ApiKeySetting];
        options.Validate(apiKey);
        services.AddSingleton(options);
        services.AddSingleton<IChatClient>(sp =>
        {
            IChatClient model = options.Provider switch
            {
                ModelProvider.AzureOpenAI => new AzureOpenAIClient(options.Endpoint!, new ApiKeyCredential(apiKey!)).GetChatClient(options.Deployment!).AsIChatClient(),
                ModelProvider.OpenAI => new OpenAIClient(new ApiKeyCredential(apiKey!), new OpenAIClientOptions { Endpoint = options.Endpoint }).GetChatClient(options.Deployment!).AsIChatClient(),
                _ => ActivatorUtilities.CreateInstance<OfflineDemoChatClient>(sp),
            };
            return new ChatClientBuilder(new PricedChatClient(model, options, sp.GetRequiredService<HostTelemetry>()))
                .UseOpenTelemetry(sp.GetRequiredService<ILoggerFactory>(), HostTelemetry.Name, c => c.EnableSensitiveData = false)
                .Build(sp);
        });
        return services;
    }
}
