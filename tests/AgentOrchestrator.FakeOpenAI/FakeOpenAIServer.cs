using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.FakeOpenAI;

/// <summary>
/// An OpenAI-compatible chat-completions server on 127.0.0.1 (Azure route <c>/openai/deployments/{d}/chat/completions</c>
/// and OpenAI route <c>/v1/chat/completions</c>). Each deployment answers from its queue of canned replies, then from
/// <see cref="Respond"/>. Streams send text in several deltas and tool-call arguments in fragments, then usage and
/// <c>[DONE]</c>, as the real service does.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeReply>> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeRequest> _requests = new();

    private FakeOpenAIServer(WebApplication app) => _app = app;

    /// <summary>The base URL to give the client as its endpoint.</summary>
    public Uri Endpoint => new(_app.Urls.Single());

    /// <summary>Answers requests whose deployment queue is empty; default: "OK".</summary>
    public Func<FakeRequest, FakeReply> Respond { get; set; } = _ => FakeReply.Say("OK");

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<FakeRequest> Requests => [.. _requests];

    /// <summary>Starts a server on a free loopback port.</summary>
    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAIServer(app);
        app.MapPost("/openai/deployments/{deployment}/chat/completions", (HttpContext http, string deployment) => server.HandleAsync(http, deployment));
        app.MapPost("/v1/chat/completions", (HttpContext http) => server.HandleAsync(http, null));
        app.MapPost("/chat/completions", (HttpContext http) => server.HandleAsync(http, null));
        await app.StartAsync();
        return server;
    }

    /// <summary>Queues replies for a deployment, answered in order before <see cref="Respond"/>.</summary>
    public void Enqueue(string deployment, params FakeReply[] replies)
    {
        var queue = _queues.GetOrAdd(deployment, _ => new ConcurrentQueue<FakeReply>());
        foreach (var reply in replies)
        {
            queue.Enqueue(reply);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http, string? deployment)
    {
        using var body = await JsonDocument.ParseAsync(http.Request.Body);
        var root = body.RootElement.Clone();
        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var request = new FakeRequest(deployment ?? root.GetProperty("model").GetString() ?? "default", stream, root);
        _requests.Enqueue(request);
        var reply = _queues.TryGetValue(request.Deployment, out var queue) && queue.TryDequeue(out var queued) ? queued : Respond(request);

        if (reply.Status != 200)
        {
            http.Response.StatusCode = reply.Status;
            if (reply.RetryAfter is not null)
            {
                http.Response.Headers.RetryAfter = reply.RetryAfter;
            }

            await http.Response.WriteAsJsonAsync(new { error = new { message = $"fake error {reply.Status}", type = "fake", code = reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
            return;
        }

        if (reply.Malformed)
        {
            http.Response.ContentType = stream ? "text/event-stream" : "application/json";
            await http.Response.WriteAsync(stream ? "data: {not json\n\n" : "{\"choices\": [ {\"message\": ");
            return;
        }

        if (stream)
        {
            await WriteStreamAsync(http, request.Deployment, reply);
        }
        else
        {
            await http.Response.WriteAsJsonAsync(Completion(request.Deployment, reply));
        }
    }

    private static object Completion(string model, FakeReply reply) => new
    {
        id = "chatcmpl-fake",
        @object = "chat.completion",
        created = 1_700_000_000,
        model,
        choices = new[]
        {
            new
            {
                index = 0,
                message = new
                {
                    role = "assistant",
                    content = reply.Text,
                    tool_calls = reply.ToolCalls.Count == 0 ? null : reply.ToolCalls.Select(c => new { id = c.Id, type = "function", function = new { name = c.Name, arguments = c.Arguments } }).ToArray(),
                },
                finish_reason = reply.ToolCalls.Count > 0 ? "tool_calls" : "stop",
            },
        },
        usage = Usage(reply),
    };

    private static object Usage(FakeReply reply) => new { prompt_tokens = 50, completion_tokens = 10 + ((reply.Text?.Length ?? 0) / 4), total_tokens = 60 + ((reply.Text?.Length ?? 0) / 4) };

    private static async Task WriteStreamAsync(HttpContext http, string model, FakeReply reply)
    {
        http.Response.ContentType = "text/event-stream";
        async Task SendAsync(object chunk)
        {
            await http.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n", Encoding.UTF8);
            await http.Response.Body.FlushAsync();
        }

        object Chunk(object delta, string? finish) => new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1_700_000_000, model, choices = new[] { new { index = 0, delta, finish_reason = finish } } };

        await SendAsync(Chunk(new { role = "assistant", content = "" }, null));
        foreach (var piece in Pieces(reply.Text ?? string.Empty, 3))
        {
            await SendAsync(Chunk(new { content = piece }, null));
        }

        for (var i = 0; i < reply.ToolCalls.Count; i++)
        {
            var (id, name, arguments) = reply.ToolCalls[i];
            await SendAsync(Chunk(new { tool_calls = new[] { new { index = i, id, type = "function", function = new { name, arguments = "" } } } }, null));
            foreach (var fragment in Pieces(arguments, 2))
            {
                await SendAsync(Chunk(new { tool_calls = new[] { new { index = i, function = new { arguments = fragment } } } }, null));
            }
        }

        await SendAsync(Chunk(new { }, reply.ToolCalls.Count > 0 ? "tool_calls" : "stop"));
        await SendAsync(new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1_700_000_000, model, choices = Array.Empty<object>(), usage = Usage(reply) });
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static IEnumerable<string> Pieces(string text, int count)
    {
        if (text.Length == 0)
        {
            yield break;
        }

        var size = Math.Max(1, (text.Length + count - 1) / count);
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}
