using AgentOrchestrator.Tools.Invocation;
using AgentOrchestrator.Tools.Manifests;
using AgentOrchestrator.Tools.Sagas;
using AgentOrchestrator.Tools.Schemas;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Tools;

/// <summary>Registers the tools layer.</summary>
public static class AgentToolsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the registry, folder loader and watcher (a hosted service), argument validator, compensation
    /// planner and <see cref="IToolInvoker"/>, with <see cref="AgentToolsOptions"/> bound from the
    /// <c>AgentTools</c> section of <paramref name="configuration"/> and secrets read from it.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The application configuration.</param>
    /// <param name="configure">Adjusts the options after binding.</param>
    public static AgentToolsBuilder AddAgentTools(this IServiceCollection services, IConfiguration configuration, Action<AgentToolsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(AgentToolsOptions.SectionName);
        var options = services.AddOptions<AgentToolsOptions>().Bind(section).Configure(o => RetiredSettings(section, o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentToolsOptions>, AgentToolsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IToolSecretProvider>(_ => new ConfigurationToolSecretProvider(configuration));
        services.TryAddSingleton<ToolManifestParser>();
        services.TryAddSingleton<ToolRegistry>();
        services.TryAddSingleton<ToolManifestLoader>();
        services.TryAddSingleton<ToolManifestWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ToolManifestWatcher>());
        services.TryAddSingleton<ToolArgumentValidator>();
        services.TryAddSingleton<CompensationPlanner>();
        services.TryAddSingleton<HttpToolInvoker>();
        services.TryAddSingleton<HandlerToolInvoker>();
        services.TryAddSingleton<IToolInvoker, ToolInvoker>();
        services.AddHttpClient(HttpToolInvoker.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        return new AgentToolsBuilder(services);
    }

    /// <summary>Collects what is still configured under retired keys, for the start-up check to refuse by name.</summary>
    private static void RetiredSettings(IConfigurationSection section, AgentToolsOptions options)
    {
        var hosts = section.GetSection("AllowedHosts");
        if (hosts.Value is { } single)
        {
            options.RetiredAllowedHosts.Add((hosts.Path, single));
        }

        foreach (var entry in hosts.GetChildren())
        {
            options.RetiredAllowedHosts.Add((entry.Path, entry.Value));
        }
    }
}
