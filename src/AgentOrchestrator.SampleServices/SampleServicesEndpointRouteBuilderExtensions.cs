using AgentOrchestrator.SampleServices.Billing;
using AgentOrchestrator.SampleServices.Crm;
using AgentOrchestrator.SampleServices.Infrastructure;

namespace AgentOrchestrator.SampleServices;

/// <summary>
/// Mounts the sample services under a path prefix of any ASP.NET Core host, next to the host's own endpoints.
/// Register them first with <c>services.AddSampleServices(...)</c>
/// (<see cref="SampleServicesServiceCollectionExtensions"/>). Each service keeps its own SQLite file, API key,
/// fault rules and idempotency keys, whatever the prefix; the manifests then reach them through
/// <c>AgentTools:Services:crm:BaseUrl</c> and <c>AgentTools:Services:billing:BaseUrl</c>
/// (e.g. <c>http://127.0.0.1:5080/samples/crm</c>).
/// </summary>
public static class SampleServicesEndpointRouteBuilderExtensions
{
    /// <summary>Maps both services under one prefix: the CRM at <c>{prefix}/crm</c> and billing at
    /// <c>{prefix}/billing</c>. This is how the host mounts them for the demo.</summary>
    /// <param name="endpoints">The host's endpoints.</param>
    /// <param name="prefix">Path prefix of both services. Default: <c>/samples</c>.</param>
    /// <returns>The group of both services, e.g. to exclude them from the host's OpenAPI document or rate limits.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddSampleServices(builder.Configuration.GetSection(SampleServicesOptions.SectionName));
    /// var app = builder.Build();
    /// app.MapSampleServices("/samples"); // /samples/crm/contacts, /samples/billing/payments, ...
    /// </code>
    /// </example>
    public static RouteGroupBuilder MapSampleServices(this IEndpointRouteBuilder endpoints, string prefix = "/samples")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var samples = endpoints.MapGroup(prefix);
        samples.MapCrmService("/crm");
        samples.MapBillingService("/billing");
        return samples;
    }

    /// <summary>Maps the CRM (contacts and notes) under <paramref name="prefix"/>. Needs <c>AddSampleServices</c>.</summary>
    /// <param name="endpoints">The host's endpoints.</param>
    /// <param name="prefix">Path prefix. Default: <c>/crm</c>.</param>
    public static RouteGroupBuilder MapCrmService(this IEndpointRouteBuilder endpoints, string prefix = "/crm")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var crm = Runtime(endpoints, SampleServicesServiceCollectionExtensions.CrmKey, nameof(MapCrmService));
        var group = MapService(endpoints, prefix, crm, bearer: false).WithTags("Sample CRM");
        CrmEndpoints.Map(group, crm);
        return group;
    }

    /// <summary>Maps the billing service (invoices, payments, refunds, receipts) under <paramref name="prefix"/>.
    /// Needs <c>AddSampleServices</c>.</summary>
    /// <param name="endpoints">The host's endpoints.</param>
    /// <param name="prefix">Path prefix. Default: <c>/billing</c>.</param>
    public static RouteGroupBuilder MapBillingService(this IEndpointRouteBuilder endpoints, string prefix = "/billing")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var billing = Runtime(endpoints, SampleServicesServiceCollectionExtensions.BillingKey, nameof(MapBillingService));
        var group = MapService(endpoints, prefix, billing, bearer: true).WithTags("Sample billing");
        BillingEndpoints.Map(group, billing);
        return group;
    }

    private static ServiceRuntime Runtime(IEndpointRouteBuilder endpoints, string key, string caller) =>
        endpoints.ServiceProvider.GetKeyedService<ServiceRuntime>(key)
        ?? throw new InvalidOperationException($"{caller} needs the sample services registered: call services.AddSampleServices(...) before building the app.");

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
