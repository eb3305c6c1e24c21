using Microsoft.OpenApi;

namespace AgentOrchestrator.Host.Api;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c>.</summary>
public static class HostOpenApiExtensions
{
    /// <summary>Registers the document generator with the service's title and the <c>X-Api-Key</c> security scheme.</summary>
    public static IServiceCollection AddHostOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "AgentOrchestrator";
            document.Info.Description =
                "Durable LLM agent sessions: the session API for chat frontends (SSE events resume with Last-Event-ID), " +
                "the admin API for support staff, and the integrator API for tool manifests. Every call needs an API key " +
                "in the X-Api-Key header; errors are problem details (RFC 9457).";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "A client, admin or integrator key.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] }];
            return Task.CompletedTask;
        }));
}
