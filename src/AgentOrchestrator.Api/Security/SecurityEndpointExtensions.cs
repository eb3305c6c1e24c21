namespace AgentOrchestrator.Api.Security;

/// <summary>Attaches API-key checks to endpoints.</summary>
public static class SecurityEndpointExtensions
{
    /// <summary>Requires a key of one of <paramref name="roles"/>.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, params ApiRole[] roles)
        where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilterFactory((factory, next) =>
        {
            var filter = new ApiKeyEndpointFilter(factory.ApplicationServices.GetRequiredService<ApiKeyAuthenticator>(), roles);
            return context => filter.InvokeAsync(context, next);
        });

    /// <summary>The authenticated caller of this request.</summary>
    public static ApiCaller Caller(this HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return (ApiCaller)http.Items[typeof(ApiCaller)]!;
    }
}
