using Microsoft.AspNetCore.Http;

namespace AgentOrchestrator.SampleServices.Tests.Infrastructure;

/// <summary>
/// Notes the 5xx answers the sample services give, told apart from requests whose caller hung up before the answer (a
/// worker process killed mid-request): those answers reach nobody. A request whose body stops short (its caller died while
/// sending it) fails with <see cref="BadHttpRequestException"/>, which Kestrel answers with 400, not 5xx: it counts as cut off.
/// </summary>
internal sealed class ServerErrorLog
{
    private readonly List<string> _errors = [];
    private int _aborted;

    /// <summary>Each 5xx answer a caller got, as <c>METHOD path status</c>.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Requests whose caller went away first.</summary>
    public int Aborted => Volatile.Read(ref _aborted);

    /// <summary>The middleware: runs the request and notes how it ended.</summary>
    public async Task ObserveAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException)
        {
            Interlocked.Increment(ref _aborted);
            throw;
        }
        catch (Exception e)
        {
            Note(context, $"{context.Request.Method} {context.Request.Path} 500 ({e.GetType().Name}: {e.Message})");
            throw;
        }

        if (context.Response.StatusCode >= 500 || context.RequestAborted.IsCancellationRequested)
        {
            Note(context, $"{context.Request.Method} {context.Request.Path} {context.Response.StatusCode}");
        }
    }

    private void Note(HttpContext context, string error)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _aborted);
            return;
        }

        lock (_errors)
        {
            _errors.Add(error);
        }
    }
}
