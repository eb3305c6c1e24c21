using AgentOrchestrator.Agents.Sessions;
using Microsoft.AspNetCore.Diagnostics;

namespace AgentOrchestrator.Host.Api;

/// <summary>Turns the exceptions that mean "bad request" into problem details that say what is wrong.</summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request"),
            SessionNotFoundException => (StatusCodes.Status404NotFound, "Session not found"),
            SessionClosedException => (StatusCodes.Status409Conflict, "Session closed"),
            ArgumentException => (StatusCodes.Status400BadRequest, "Invalid request"),
            _ => (0, string.Empty),
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title, Detail = exception.Message },
            Exception = exception,
        });
    }
}
