using System.Runtime.ExceptionServices;
using AgentOrchestrator.Api;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Functions;

/// <summary>
/// Runs, for an HTTP trigger, the API endpoint its route stands for (<see cref="ApiEndpointCatalog"/>): the endpoint's
/// own request delegate (binding, API-key filter, handler), wrapped in what the self-hosted service's middleware gives
/// every API request there and the Functions worker cannot be given (its ASP.NET Core pipeline takes no middleware):
/// the control-character path guard, the per-key rate limiter, problem details for exceptions (the registered
/// <see cref="IExceptionHandler"/>s, as <c>UseExceptionHandler</c>) and for bare error statuses (as
/// <c>UseStatusCodePages</c>). The services all come from the same registrations as in the self-hosted service.
/// </summary>
public sealed class ApiHttpTriggerRunner(
    ApiEndpointCatalog catalog, IEnumerable<IExceptionHandler> exceptionHandlers, IProblemDetailsService problems, IOptions<RateLimiterOptions> limiter, IConfiguration configuration)
{
    private readonly IExceptionHandler[] _exceptionHandlers = [.. exceptionHandlers];
    private readonly string _routePrefix = configuration["extensions:http:routePrefix"] ?? "api";

    /// <summary>Runs the endpoint for <paramref name="request"/>, which writes the whole response.</summary>
    /// <param name="request">The trigger's request.</param>
    /// <param name="durable">The invocation's Durable Task client, for the endpoints that read or change sessions.</param>
    /// <returns>An empty result: the response is already written.</returns>
    public async Task<IActionResult> RunAsync(HttpRequest request, DurableTaskClient? durable = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var http = request.HttpContext;
        if (durable is not null)
        {
            http.RequestServices.GetRequiredService<InvocationDurableClient>().Client = durable;
        }

        if (RequestPathGuard.Check(http.Request.Path) is { } refusal)
        {
            await refusal.ExecuteAsync(http);
            return new EmptyResult();
        }

        // As UseRateLimiter(): the global limiter, partitioned by API key, and its own answer when a key has used its permits.
        var options = limiter.Value;
        using var lease = options.GlobalLimiter is { } global ? await global.AcquireAsync(http, 1, http.RequestAborted) : null;
        if (lease is { IsAcquired: false })
        {
            http.Response.StatusCode = options.RejectionStatusCode;
            if (options.OnRejected is { } onRejected)
            {
                await onRejected(new OnRejectedContext { HttpContext = http, Lease = lease }, http.RequestAborted);
            }

            return new EmptyResult();
        }

        await RunEndpointAsync(http);
        return new EmptyResult();
    }

    private async Task RunEndpointAsync(HttpContext http)
    {
        var path = FunctionRoutes.ToApiRoute(http.Request.Path.Value ?? "/", _routePrefix);
        if (catalog.Match(http.Request.Method, path, out var values) is not { RequestDelegate: { } run } endpoint)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            await WriteStatusProblemAsync(http);
            return;
        }

        http.Request.RouteValues = values;
        http.SetEndpoint(endpoint);
        try
        {
            await run(http);
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            await HandleAsync(http, ExceptionDispatchInfo.Capture(ex));
            return;
        }

        await WriteStatusProblemAsync(http);
    }

    // As UseExceptionHandler() with problem details: a request the client gave up on is 499; otherwise the registered
    // handlers word the exception, and what none of them knows is a 500 without details.
    private async Task HandleAsync(HttpContext http, ExceptionDispatchInfo error)
    {
        http.Response.Clear();
        if (error.SourceException is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            http.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            return;
        }

        http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        foreach (var handler in _exceptionHandlers)
        {
            if (await handler.TryHandleAsync(http, error.SourceException, http.RequestAborted))
            {
                return;
            }
        }

        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, Exception = error.SourceException, ProblemDetails = { Status = 500 } }))
        {
            error.Throw();
        }
    }

    // As UseStatusCodePages() with problem details: an error status without a body gets one.
    private async Task WriteStatusProblemAsync(HttpContext http)
    {
        var response = http.Response;
        if (response.HasStarted || response.StatusCode < 400 || response.StatusCode >= 600 || response.ContentLength.HasValue || !string.IsNullOrEmpty(response.ContentType))
        {
            return;
        }

        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = { Status = response.StatusCode } });
    }
}
