using Microsoft.AspNetCore.Routing.Template;

namespace AgentOrchestrator.Api;

/// <summary>
/// The API's endpoints, mapped by <see cref="ApiEndpointRouteBuilderExtensions.MapAgentOrchestratorApi"/> outside any web
/// application, for a host that routes requests itself (the Functions app, whose HTTP triggers do the routing). Each
/// endpoint is the one the self-hosted service serves: the same handler, parameter binding, API-key filter and results.
/// </summary>
public sealed class ApiEndpointCatalog
{
    private readonly List<(RouteEndpoint Endpoint, TemplateMatcher Matcher, IReadOnlyList<string> Methods)> _routes;

    /// <summary>Maps the API with <paramref name="services"/> as the application's services (options, API keys, JSON settings).</summary>
    public ApiEndpointCatalog(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new CatalogRouteBuilder(services);
        builder.MapAgentOrchestratorApi();
        Endpoints = [.. builder.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()];
        _routes = [.. Endpoints
            // Literal segments first, as the web application's router prefers them.
            .OrderBy(e => e.RoutePattern.Parameters.Count)
            .Select(e => (e, new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary()), Methods(e)))];
    }

    /// <summary>Every endpoint of the API, with its route pattern and HTTP methods.</summary>
    public IReadOnlyList<RouteEndpoint> Endpoints { get; }

    /// <summary>The HTTP methods an endpoint answers.</summary>
    public static IReadOnlyList<string> Methods(Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
    }

    /// <summary>The endpoint that answers <paramref name="method"/> on <paramref name="path"/>, with its route values; null when none does.</summary>
    public RouteEndpoint? Match(string method, PathString path, out RouteValueDictionary values)
    {
        foreach (var (endpoint, matcher, methods) in _routes)
        {
            values = [];
            if (methods.Contains(method, StringComparer.OrdinalIgnoreCase) && matcher.TryMatch(path, values))
            {
                return endpoint;
            }
        }

        values = [];
        return null;
    }

    /// <summary>Collects what the mapping adds; the endpoints' request delegates resolve request services from each request.</summary>
    private sealed class CatalogRouteBuilder(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider { get; } = services;

        public ICollection<EndpointDataSource> DataSources { get; } = [];

        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(ServiceProvider);
    }
}
