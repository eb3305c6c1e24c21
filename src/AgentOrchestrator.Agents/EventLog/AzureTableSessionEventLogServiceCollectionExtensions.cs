using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>Registers the Azure Tables session event log.</summary>
public static class AzureTableSessionEventLogServiceCollectionExtensions
{
    /// <summary>
    /// Makes <see cref="AzureTableSessionEventLog"/> the <see cref="ISessionEventLog"/>, replacing one registered before
    /// (such as the in-memory fallback of <c>AddAgentSessions</c>), with its options checked when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options: at least the connection string and the task hub's name.</param>
    public static IServiceCollection AddAzureTableSessionEventLog(this IServiceCollection services, Action<AzureTableSessionEventLogOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<AzureTableSessionEventLogOptions>()
            .Configure(configure)
            .Validate(
                o =>
                {
                    o.Validate();
                    return true;
                })
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AzureTableSessionEventLog(
            sp.GetRequiredService<IOptions<AzureTableSessionEventLogOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<AzureTableSessionEventLog>>()));
        services.Replace(ServiceDescriptor.Singleton<ISessionEventLog>(sp => sp.GetRequiredService<AzureTableSessionEventLog>()));
        return services;
    }
}
