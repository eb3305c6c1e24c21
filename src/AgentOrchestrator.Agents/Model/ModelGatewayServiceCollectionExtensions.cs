using System.ClientModel;
using System.ClientModel.Primitives;
using AgentOrchestrator.Agents.Demo;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;

namespace AgentOrchestrator.Agents.Model;

/// <summary>Registers the model gateway as the <see cref="IChatClient"/> sessions use.</summary>
public static class ModelGatewayServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ModelGatewayOptions"/> from <c>Agents:Model</c> and registers the <see cref="IChatClient"/>:
    /// the offline demo model when no endpoint is configured, otherwise Azure OpenAI or an OpenAI-compatible
    /// endpoint behind <see cref="FallbackChatClient"/> (retries honouring Retry-After, fallback deployments, cost).
    /// The API key is read from the configuration key <see cref="ModelGatewayOptions.ApiKeySecret"/> names.
    /// </summary>
    public static IServiceCollection AddModelGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ModelGatewayOptions>().Bind(configuration.GetSection(ModelGatewayOptions.SectionName))
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IChatClient>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ModelGatewayOptions>>().Value;
            if (options.EffectiveProvider == ModelProvider.Offline)
            {
                return new OfflineDemoChatClient();
            }

            var key = configuration[options.ApiKeySecret] ?? configuration[$"Values:{options.ApiKeySecret}"]
                ?? throw new InvalidOperationException($"No model API key: set the configuration key {options.ApiKeySecret} (Agents:Model:ApiKeySecret names it).");
            var inner = options.Deployments.Select(d => (d, Create(options, key, d))).ToList();
            return new FallbackChatClient(inner, options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FallbackChatClient>>());
        });
        return services;
    }

    private static IChatClient Create(ModelGatewayOptions options, string key, string deployment)
    {
        // The gateway owns retries; the SDK's own are off so a 429 is seen (and its Retry-After honoured) once.
        var noRetries = new ClientRetryPolicy(maxRetries: 0);
        return options.EffectiveProvider == ModelProvider.AzureOpenAI
            ? new AzureOpenAIClient(options.Endpoint!, new ApiKeyCredential(key), new AzureOpenAIClientOptions { RetryPolicy = noRetries, NetworkTimeout = options.AttemptTimeout })
                .GetChatClient(deployment).AsIChatClient()
            : new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = options.Endpoint, RetryPolicy = noRetries, NetworkTimeout = options.AttemptTimeout })
                .GetChatClient(deployment).AsIChatClient();
    }
}
