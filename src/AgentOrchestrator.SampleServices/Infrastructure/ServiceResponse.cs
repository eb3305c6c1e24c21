using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>A response whose status and JSON body can be stored for idempotent replay.</summary>
internal sealed class ServiceResponse(int statusCode, string body, bool replayed = false, TimeSpan? retryAfter = null) : IResult
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public int StatusCode { get; } = statusCode;

    public string Body { get; } = body;

    public bool Replayed { get; } = replayed;

    /// <summary>Sent as <c>Retry-After</c> in whole seconds, rounded up: when trying again may succeed.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public static ServiceResponse Ok(object body, int status = StatusCodes.Status200OK) => new(status, JsonSerializer.Serialize(body, Json));

    public static ServiceResponse Error(int status, string code, string message, object? details = null, TimeSpan? retryAfter = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (details is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(details, Json)!.AsObject().ToList())
            {
                error[key] = value?.DeepClone();
            }
        }

        return new(status, new JsonObject { ["error"] = error }.ToJsonString(), retryAfter: retryAfter);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        if (Replayed)
        {
            httpContext.Response.Headers["Idempotent-Replayed"] = "true";
        }

        if (RetryAfter is { } wait)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await httpContext.Response.WriteAsync(Body, httpContext.RequestAborted);
    }
}
