using AgentOrchestrator.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace AgentOrchestrator.Functions.Tests;

/// <summary>The self-hosted service's API endpoints, as its own web application maps them (built, never started).</summary>
internal static class SelfHostedApi
{
    public static async Task<IReadOnlyList<RouteEndpoint>> EndpointsAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ao-functions-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var app = AgentOrchestratorApp.CreateBuilder([], folder, new Dictionary<string, string?>
            {
                ["DataFolder"] = folder,
                ["AgentTools:ManifestsPath"] = Path.Combine(FunctionsBuild.RepositoryRoot, "tools-manifests"),
                ["AgentTools:WatchManifests"] = "false",
            }).Build();
            await using (app)
            {
                app.MapAgentOrchestrator();
                // The API: the session and integrator routes under /v1 and the staff routes under /admin (the support
                // page's files are middleware, not endpoints); not the sample services, health checks or OpenAPI document.
                return [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
                    .Where(e => e.RoutePattern.RawText is { } route && (route.StartsWith("/v1/", StringComparison.Ordinal) || route.StartsWith("/admin/", StringComparison.Ordinal)))];
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A route as both sides can be compared: leading slash, no trailing one.</summary>
    public static string Normalize(string route) => "/" + route.Trim('/');
}
