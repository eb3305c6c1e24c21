namespace AgentOrchestrator.Api;

/// <summary>Maps the whole API.</summary>
public static class ApiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the session API (<c>/v1/sessions</c>), the admin API (<c>/admin</c>) and the integrator API
    /// (<c>/v1/tools</c>, <c>/v1/manifests</c>), each with its API-key roles. The self-hosted service maps them on its web
    /// application; the Functions app maps them on an <see cref="ApiEndpointCatalog"/> and runs them from its HTTP triggers.
    /// </summary>
    public static IEndpointRouteBuilder MapAgentOrchestratorApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSessionApi();
        endpoints.MapAdminApi();
        endpoints.MapIntegratorApi();
        return endpoints;
    }
}
