namespace AgentOrchestrator.Api.Security;

/// <summary>Lets a request through only with a key of one of the allowed roles; 401 without a valid key, 403 with the wrong role.</summary>
internal sealed class ApiKeyEndpointFilter(ApiKeyAuthenticator authenticator, ApiRole[] roles) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var caller = authenticator.Authenticate(http.Request.Headers[ApiKeyAuthenticator.Header]);
        if (caller is null)
        {
            return Results.Problem(statusCode: 401, title: "Missing or unknown API key", detail: $"Send a valid key in the {ApiKeyAuthenticator.Header} header.");
        }

        if (!roles.Contains(caller.Role))
        {
            return Results.Problem(statusCode: 403, title: "Not allowed", detail: $"This endpoint needs a key with role {string.Join(" or ", roles)}.");
        }

        http.Items[typeof(ApiCaller)] = caller;
        return await next(context);
    }
}
