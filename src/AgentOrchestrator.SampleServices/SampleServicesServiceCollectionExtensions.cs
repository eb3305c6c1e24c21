using AgentOrchestrator.SampleServices.Billing;
using AgentOrchestrator.SampleServices.Crm;
using AgentOrchestrator.SampleServices.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.SampleServices;

/// <summary>Registers the sample CRM and billing services in any ASP.NET Core host.</summary>
public static class SampleServicesServiceCollectionExtensions
{
    internal const string CrmKey = "crm";
    internal const string BillingKey = "billing";

    /// <summary>Registers both services with options bound from <paramref name="configuration"/>
    /// (the <c>SampleServices</c> section, see <see cref="SampleServicesOptions"/>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding <see cref="SampleServicesOptions"/>.</param>
    public static IServiceCollection AddSampleServices(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSampleServices(options => configuration.Bind(options));

    /// <summary>Registers both services, configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    public static IServiceCollection AddSampleServices(this IServiceCollection services, Action<SampleServicesOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SampleServicesOptions>().Configure(configure)
            .Validate(o => ValidLease(o.Crm) && ValidLease(o.Billing), "SampleServices:<Crm|Billing>:IdempotencyLease must be more than 0 and at most 1 hour.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddKeyedSingleton(CrmKey, (sp, _) => Create(sp, "crm", sp.GetRequiredService<IOptions<SampleServicesOptions>>().Value.Crm, CrmStore.Schema));
        services.AddKeyedSingleton(BillingKey, (sp, _) => Create(sp, "billing", sp.GetRequiredService<IOptions<SampleServicesOptions>>().Value.Billing, BillingStore.Schema));
        return services;
    }

    private static bool ValidLease(SampleServiceOptions service) =>
        service.IdempotencyLease > TimeSpan.Zero && service.IdempotencyLease <= TimeSpan.FromHours(1);

    private static ServiceRuntime Create(IServiceProvider services, string name, SampleServiceOptions options, string schema) =>
        new(name, options, new SampleDatabase(options.DatabasePath, schema), services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger($"AgentOrchestrator.SampleServices.{name}"));
}
