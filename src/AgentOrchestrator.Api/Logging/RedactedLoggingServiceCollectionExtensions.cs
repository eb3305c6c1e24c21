using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Api.Logging;

/// <summary>Puts the host's logging behind <see cref="RedactingLoggerFactory"/>.</summary>
public static class RedactedLoggingServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the registered <see cref="ILoggerFactory"/> (call after <c>AddLogging</c>, which the web host builder
    /// does) with one that masks secrets and personal data in every log call before any provider sees it. Providers,
    /// filters and scopes are configured as usual.
    /// </summary>
    public static IServiceCollection AddRedactedLogging(this IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("AddRedactedLogging needs logging: call AddLogging first.");
        services.Remove(registered);
        services.AddSingleton<ILoggerFactory>(sp => new RedactingLoggerFactory(
            registered.ImplementationInstance as ILoggerFactory
            ?? registered.ImplementationFactory?.Invoke(sp) as ILoggerFactory
            ?? (registered.ImplementationType == typeof(LoggerFactory)
                ? new LoggerFactory(
                    sp.GetServices<ILoggerProvider>(),
                    sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
                    sp.GetService<IOptions<LoggerFactoryOptions>>(),
                    sp.GetService<IExternalScopeProvider>())
                : (ILoggerFactory)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!))));
        return services;
    }
}
