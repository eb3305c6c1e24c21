using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Api.Security;

/// <summary>Registers API keys, the per-key rate limiter and the request size limit.</summary>
public static class HostSecurityServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ApiKeyOptions"/> (<c>Auth</c>) and <see cref="RateLimitOptions"/> (<c>RateLimit</c>), validated at
    /// start; limits every request to <see cref="RateLimitOptions.MaxRequestBodyBytes"/>; and partitions a fixed-window
    /// rate limiter by API key id (or by client address without a valid key). Refusals are problem details with
    /// <c>Retry-After</c>.
    /// </summary>
    public static IServiceCollection AddHostSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.SectionName))
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName))
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RateLimitOptions>>((kestrel, limits) =>
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<ApiKeyAuthenticator, IOptions<RateLimitOptions>>((limiter, keys, limits) =>
        {
            var o = limits.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (keys.Authenticate(http.Request.Headers[ApiKeyAuthenticator.Header]) is { } caller)
                {
                    return RateLimitPartition.GetFixedWindowLimiter("key:" + caller.KeyId, _ => Window(o.PermitsPerWindow, o.Window));
                }

                var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter("address:" + address, _ => Window(o.AnonymousPermitsPerWindow, o.Window));
            });
            limiter.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = 429, Title = "Too many requests", Detail = "This key has used its requests for now; retry after the time in Retry-After." },
                });
            };
        });
        return services;
    }

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
