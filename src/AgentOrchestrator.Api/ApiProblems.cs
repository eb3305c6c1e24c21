using AgentOrchestrator.Api.Security;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Api;

/// <summary>
/// The API's refusals as problem details (RFC 9457, <c>application/problem+json</c>). A refusal about one field, query
/// parameter or header names it in <c>detail</c> and lists it under <c>errors</c>, the shape ASP.NET Core's validation
/// problems use: <c>{"errors": {"messageId": ["..."]}}</c>.
/// </summary>
public static class ApiProblems
{
    /// <summary>A 400 about one input: <paramref name="name"/> is the JSON field, query parameter or header.</summary>
    public static IResult Invalid(string name, string detail)
        => Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid request",
            detail: detail,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [name] = [detail] } });

    /// <summary>
    /// Gives a <c>detail</c> to the problems the framework writes for a bare status (request binding sets 413 and 415
    /// without an exception; routing answers 404 and 405), so that those too say what is wrong.
    /// </summary>
    public static void Describe(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        if (problem.Detail is not null)
        {
            return;
        }

        var request = context.HttpContext.Request;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status413PayloadTooLarge =>
                $"The body is larger than the {context.HttpContext.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.MaxRequestBodyBytes} bytes accepted (RateLimit:MaxRequestBodyBytes).",
            StatusCodes.Status415UnsupportedMediaType =>
                $"This endpoint takes a JSON body: send Content-Type: application/json (the request said \"{request.ContentType ?? "nothing"}\").",
            StatusCodes.Status404NotFound => $"Nothing is served at {request.Method} {request.Path}; see /openapi/v1.json for the API's routes.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not take {request.Method}; see /openapi/v1.json for the API's routes.",
            _ => null,
        };
    }
}
