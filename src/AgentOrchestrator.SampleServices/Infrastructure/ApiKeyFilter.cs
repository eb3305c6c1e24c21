using System.Security.Cryptography;
using System.Text;

namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>Requires the service's API key, when one is configured, compared in constant time.</summary>
internal sealed class ApiKeyFilter(string? apiKey, bool bearer) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return next(context);
        }

        var headers = context.HttpContext.Request.Headers;
        var presented = bearer
            ? headers.Authorization.ToString() is var auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : string.Empty
            : headers["X-Api-Key"].ToString();
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(apiKey)))
        {
            return next(context);
        }

        return ValueTask.FromResult<object?>(ServiceResponse.Error(401, "unauthorized",
            bearer ? "Send the API key as Authorization: Bearer <key>." : "Send the API key in the X-Api-Key header."));
    }
}
