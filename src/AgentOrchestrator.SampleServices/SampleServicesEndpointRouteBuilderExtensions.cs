using AgentOrchestrator.SampleServices.Billing;
using AgentOrchestrator.SampleServices.Crm;
using AgentOrchestrator.SampleServices.Infrastructure;

namespace AgentOrchestrator.SampleServices;

/// <summary>Mounts the sample services under a path prefix of any ASP.NET Core host.</summary>
public static class SampleServicesEndpointRouteBuilderExtensions
{
    /// <summary>Maps the CRM (contacts and notes) under <paramref name="prefix"/>.</summary>
    /// <param name="endpoints">The host's endpoints.</param>
    /// <param name="prefix">Path prefix. Default: <c>/crm</c>.</param>
    public static RouteGroupBuilder MapCrmService(this IEndpointRouteBuilder endpoints, string prefix = "/crm")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var crm = endpoints.ServiceProvider.GetRequiredKeyedService<ServiceRuntime>(SampleServicesServiceCollectionExtensions.CrmKey);
        var group = MapService(endpoints, prefix, crm, bearer: false).WithTags("Sample CRM");
        CrmEndpoints.Map(group, crm);
        return group;
    }

    /// <summary>Maps the billing service (invoices, payments, refunds, receipts) under <paramref name="prefix"/>.</summary>
    /// <param name="endpoints">The host's endpoints.</param>
    /// <param name="prefix">Path prefix. Default: <c>/billing</c>.</param>
    public static RouteGroupBuilder MapBillingService(this IEndpointRouteBuilder endpoints, string prefix = "/billing")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var billing = endpoints.ServiceProvider.GetRequiredKeyedService<ServiceRuntime>(SampleServicesServiceCollectionExtensions.BillingKey);
        var group = MapService(endpoints, prefix, billing, bearer: true).WithTags("Sample billing");
        BillingEndpoints.Map(group, billing);
        return group;
    }

    private static RouteGroupBuilder MapService(IEndpointRouteBuilder endpoints, string prefix, ServiceRuntime service, bool bearer)
    {
        var group = endpoints.MapGroup(prefix);
        group.AddEndpointFilter(new ApiKeyFilter(service.Options.ApiKey, bearer));

        // Support and tests read what the service did with a key: in_progress, completed, or 404.
        group.MapGet("/idempotency-keys/{key}", async (string key, CancellationToken cancellationToken) =>
            await service.Idempotency.GetStateAsync(key, cancellationToken) is { } state
                ? ServiceResponse.Ok(new { key, state })
                : ServiceResponse.Error(404, "idempotency_key_not_found", $"The key {key} has not been used."));
        return group;
    }
}
