using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.FakeOpenAI;

/// <summary>
/// An OpenAI-compatible chat-completions server on loopback Kestrel (a random port) that answers from a script
/// of <see cref="FakeResponse"/>s per deployment and records every request. Serves the Azure OpenAI route
/// <c>/openai/deployments/{deployment}/chat/completions</c> and the OpenAI routes <c>/v1/chat/completions</c> and
/// <c>/chat/completions</c> (the deployment is then the body's <c>model</c>).
/// </summary>
/// <example>
/// <code>
/// await using var server = await FakeOpenAIServer.StartAsync();
/// server.Enqueue("gpt-4o", FakeResponse.TooManyRequests(TimeSpan.FromSeconds(2)), FakeResponse.TextAnswer("Hello"));
/// var client = new AzureOpenAIClient(server.BaseUrl, new ApiKeyCredential("test")).GetChatClient("gpt-4o").AsIChatClient();
/// </code>
/// </example>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<FakeResponse>> _scripts = new(StringComparer.Ordinal);
    private readonly Queue<FakeResponse> _anyDeployment = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<(int Count, TaskCompletionSource<RecordedRequest> Signal)> _waiters = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _responseCounter;

    private FakeOpenAIServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:51234/</c>; the endpoint for an Azure OpenAI client.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The endpoint for an OpenAI client (<c>{BaseUrl}v1/</c>).</summary>
    public Uri OpenAIEndpoint => new(BaseUrl, "v1/");

    /// <summary>The model name the server reports in its responses. Default <c>gpt-4o-fake</c>.</summary>
    public string ModelName { get; set; } = "gpt-4o-fake";

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Starts a server on a random loopback port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<FakeOpenAIServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAIServer(app);
        app.MapPost("/openai/deployments/{deployment}/chat/completions", (HttpContext http, string deployment) => server.HandleAsync(http, deployment));
        app.MapPost("/v1/chat/completions", (HttpContext http) => server.HandleAsync(http, null));
        app.MapPost("/chat/completions", (HttpContext http) => server.HandleAsync(http, null));
        await app.StartAsync(cancellationToken);
        server.BaseUrl = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Queues answers for requests to <paramref name="deployment"/>, played in order, one per request.</summary>
    /// <param name="deployment">The deployment (Azure route) or model name (OpenAI routes).</param>
    /// <param name="responses">The answers.</param>
    public void Enqueue(string deployment, params FakeResponse[] responses)
    {
        lock (_gate)
        {
            if (!_scripts.TryGetValue(deployment, out var queue))
            {
                _scripts[deployment] = queue = new Queue<FakeResponse>();
            }

            foreach (var response in responses)
            {
                queue.Enqueue(response);
            }
        }
    }

    /// <summary>Queues answers for requests to any deployment whose own queue is empty.</summary>
    /// <param name="responses">The answers.</param>
    public void EnqueueForAnyDeployment(params FakeResponse[] responses)
    {
        lock (_gate)
        {
            foreach (var response in responses)
            {
                _anyDeployment.Enqueue(response);
            }
        }
    }

    /// <summary>The requests received for one deployment, in arrival order.</summary>
    /// <param name="deployment">The deployment or model name.</param>
    public IReadOnlyList<RecordedRequest> RequestsFor(string deployment) =>
        Requests.Where(r => string.Equals(r.Deployment, deployment, StringComparison.Ordinal)).ToList();

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived and returns the
    /// <paramref name="count"/>-th; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    /// <param name="count">The 1-based number of the request to wait for.</param>
    /// <param name="timeout">How long to wait.</param>
    public async Task<RecordedRequest> WaitForRequestAsync(int count, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        TaskCompletionSource<RecordedRequest> signal;
        lock (_gate)
        {
            if (_requests.Count >= count)
            {
                return _requests[count - 1];
            }

            signal = new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
        }

        try
        {
            return await signal.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"FakeOpenAI received {Requests.Count} request(s) within {timeout}, expected at least {count}.");
        }
    }

    /// <summary>Stops the server; requests that hang are ended first.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext http, string? routeDeployment)
    {
        string body;
        using (var reader = new StreamReader(http.Request.Body))
        {
            body = await reader.ReadToEndAsync(http.RequestAborted);
        }

        RecordedRequest request;
        try
        {
            request = FakeRequestParser.Parse(http, routeDeployment, body);
        }
        catch (JsonException e)
        {
            http.Response.StatusCode = 400;
            await http.Response.WriteAsync("{\"error\":{\"message\":\"FakeOpenAI: request body is not JSON: " + JsonEncodedText.Encode(e.Message) + "\"}}");
            return;
        }

        var response = Record(request);
        var id = "chatcmpl-fake" + Interlocked.Increment(ref _responseCounter).ToString(CultureInfo.InvariantCulture);
        if (response is null)
        {
            await FakeResponseWriter.WriteErrorAsync(http, FakeResponse.ServerError(500),
                $"FakeOpenAI has no scripted response left for deployment '{request.Deployment}'.");
            return;
        }

        switch (response.Kind)
        {
            case FakeResponseKind.Error:
                await FakeResponseWriter.WriteErrorAsync(http, response, $"FakeOpenAI scripted error {response.StatusCode}.");
                break;
            case FakeResponseKind.Malformed:
                await FakeResponseWriter.WriteMalformedAsync(http, request.Stream);
                break;
            case FakeResponseKind.Hang:
                await FakeResponseWriter.StallAsync(http, _stopping.Token);
                break;
            case FakeResponseKind.StallMidStream:
                await FakeResponseWriter.WriteStallMidStreamAsync(http, response, id, ModelName, _stopping.Token);
                break;
            default:
                if (request.Stream)
                {
                    await FakeResponseWriter.WriteStreamAsync(http, response, id, ModelName, request.IncludeUsage);
                }
                else
                {
                    await FakeResponseWriter.WriteCompletionAsync(http, response, id, ModelName);
                }

                break;
        }
    }

    private FakeResponse? Record(RecordedRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
            foreach (var waiter in _waiters.Where(w => w.Count <= _requests.Count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Signal.TrySetResult(_requests[waiter.Count - 1]);
            }

            if (_scripts.TryGetValue(request.Deployment, out var queue) && queue.Count > 0)
            {
                return queue.Dequeue();
            }

            return _anyDeployment.Count > 0 ? _anyDeployment.Dequeue() : null;
        }
    }
}
