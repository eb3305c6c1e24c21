using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Agents.Model;

/// <summary>Registers the model gateway.</summary>
public static class ModelGatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the model gateway as the <see cref="IChatClient"/>: usage and cost, context trimming, optional PII
    /// masking, retries and deployment fallback over Azure OpenAI, an OpenAI-compatible endpoint or the offline
    /// <see cref="ScriptedChatClient"/>. Also registers <see cref="PromptTemplateStore"/>, <see cref="TokenCounter"/>,
    /// <see cref="ContextWindowTrimmer"/> and <see cref="PiiMasker"/>. Settings come from <paramref name="configuration"/>
    /// (see <see cref="ModelGatewayOptions"/>) and are validated at start-up.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The gateway's configuration section, e.g. <c>ModelGateway</c>.</param>
    public static ModelGatewayBuilder AddModelGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = new ModelGatewayBuilder(services);
        services.AddOptions<ModelGatewayOptions>().Bind(configuration).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelGatewayOptions>, ModelGatewayOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => TokenCounter.Default);
        services.TryAddSingleton(sp => new ContextWindowTrimmer(sp.GetRequiredService<TokenCounter>()));
        services.TryAddSingleton(sp => new PiiMasker(sp.GetRequiredService<IOptions<ModelGatewayOptions>>().Value.PiiMasking));
        services.TryAddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IOptions<ModelGatewayOptions>>().Value.PromptsPath;
            return new PromptTemplateStore(Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path));
        });
        services.TryAddSingleton(sp => Create(sp, builder));
        return builder;
    }

    private static IChatClient Create(IServiceProvider services, ModelGatewayBuilder builder)
    {
        var options = services.GetRequiredService<IOptions<ModelGatewayOptions>>().Value;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("AgentOrchestrator.Agents.Model.ModelGateway")
            ?? NullLogger.Instance;
        var time = services.GetRequiredService<TimeProvider>();
        IChatClient client;
        string defaultDeployment;
        if (options.EffectiveProvider == ModelProvider.Scripted && builder.InnerClientFactory is null)
        {
            client = new ScriptedChatClient(builder.Script);
            defaultDeployment = ScriptedChatClient.DeploymentName;
        }
        else
        {
            var factory = builder.InnerClientFactory ?? ((_, name) => ModelClientFactory.Create(options, name));
            var deployments = (options.Deployments.Count == 0 ? [ScriptedChatClient.DeploymentName] : options.Deployments)
                .Select(name => new ModelDeployment(name, factory(services, name))).ToList();
            client = new ResilientChatClient(deployments, options, time, logger);
            defaultDeployment = deployments[0].Name;
        }

        if (options.PiiMasking.Enabled)
        {
            client = new PiiMaskingChatClient(client, services.GetRequiredService<PiiMasker>());
        }

        if (options.ContextWindowTokens > 0)
        {
            client = new ContextTrimmingChatClient(
                client, services.GetRequiredService<ContextWindowTrimmer>(), services.GetRequiredService<TokenCounter>(), options, logger);
        }

        var prices = new Dictionary<string, ModelPrice>(options.Prices, StringComparer.OrdinalIgnoreCase);
        return new UsageTrackingChatClient(client, prices, defaultDeployment, logger);
    }
}
