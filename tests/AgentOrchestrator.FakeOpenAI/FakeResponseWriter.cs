using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AgentOrchestrator.FakeOpenAI;

/// <summary>Writes canned answers in the chat-completions wire format: one JSON body, or server-sent events
/// (<c>data: {chunk}</c> lines, a usage chunk with empty <c>choices</c>, then <c>data: [DONE]</c>).</summary>
internal static class FakeResponseWriter
{
    private const long Created = 1_700_000_000;

    public static async Task WriteErrorAsync(HttpContext http, FakeResponse response, string message)
    {
        http.Response.StatusCode = response.StatusCode;
        if (response.RetryAfter is { } delay)
        {
            if (response.RetryAfterInMilliseconds)
            {
                http.Response.Headers["retry-after-ms"] = ((long)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                http.Response.Headers.RetryAfter = ((long)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }
        }

        http.Response.ContentType = "application/json";
        var body = Json(w =>
        {
            w.WriteStartObject("error");
            w.WriteString("message", message);
            w.WriteString("type", response.StatusCode == 429 ? "rate_limit_exceeded" : "server_error");
            w.WriteString("code", response.StatusCode.ToString(CultureInfo.InvariantCulture));
            w.WriteEndObject();
        });
        await http.Response.WriteAsync(body, http.RequestAborted);
    }

    public static async Task WriteCompletionAsync(HttpContext http, FakeResponse response, string id, string model)
    {
        http.Response.ContentType = "application/json";
        var body = Json(w =>
        {
            WriteHeader(w, id, model, "chat.completion");
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            if (response.Text is null)
            {
                w.WriteNull("content");
            }
            else
            {
                w.WriteString("content", response.Text);
            }

            if (response.ToolCalls.Count > 0)
            {
                w.WriteStartArray("tool_calls");
                foreach (var call in response.ToolCalls)
                {
                    w.WriteStartObject();
                    w.WriteString("id", call.Id);
                    w.WriteString("type", "function");
                    w.WriteStartObject("function");
                    w.WriteString("name", call.Name);
                    w.WriteString("arguments", call.ArgumentsJson);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteString("finish_reason", FinishReason(response));
            w.WriteEndObject();
            w.WriteEndArray();
            WriteUsage(w, response);
        });
        await http.Response.WriteAsync(body, http.RequestAborted);
    }

    public static async Task WriteStreamAsync(HttpContext http, FakeResponse response, string id, string model, bool includeUsage)
    {
        StartStream(http);
        var ct = http.RequestAborted;
        await WriteEventAsync(http, Chunk(id, model, w => w.WriteString("role", "assistant"), null), ct);
        foreach (var piece in Split(response.Text ?? string.Empty, response.TextChunkSize))
        {
            await WriteEventAsync(http, Chunk(id, model, w => w.WriteString("content", piece), null), ct);
        }

        for (var index = 0; index < response.ToolCalls.Count; index++)
        {
            var call = response.ToolCalls[index];
            var callIndex = index;
            // The first delta names the call; the arguments follow in fragments carrying only the index.
            await WriteEventAsync(http, Chunk(id, model, w => ToolDelta(w, callIndex, call.Id, call.Name, string.Empty), null), ct);
            foreach (var fragment in Split(call.ArgumentsJson, response.ArgumentFragmentSize))
            {
                await WriteEventAsync(http, Chunk(id, model, w => ToolDelta(w, callIndex, null, null, fragment), null), ct);
            }
        }

        await WriteEventAsync(http, Chunk(id, model, _ => { }, FinishReason(response)), ct);
        if (includeUsage)
        {
            var usage = Json(w =>
            {
                WriteHeader(w, id, model, "chat.completion.chunk");
                w.WriteStartArray("choices");
                w.WriteEndArray();
                WriteUsage(w, response);
            });
            await WriteEventAsync(http, usage, ct);
        }

        await WriteEventAsync(http, "[DONE]", ct);
    }

    public static async Task WriteStallMidStreamAsync(HttpContext http, FakeResponse response, string id, string model, CancellationToken stopping)
    {
        StartStream(http);
        var text = response.Text ?? string.Empty;
        await WriteEventAsync(http, Chunk(id, model, w => w.WriteString("role", "assistant"), null), http.RequestAborted);
        foreach (var piece in Split(text[..(text.Length / 2)], response.TextChunkSize))
        {
            await WriteEventAsync(http, Chunk(id, model, w => w.WriteString("content", piece), null), http.RequestAborted);
        }

        await StallAsync(http, stopping);
    }

    /// <summary>Sends nothing until the client gives up or the server stops, then drops the connection.</summary>
    public static async Task StallAsync(HttpContext http, CancellationToken stopping)
    {
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping))
        {
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = linked.Token.Register(() => ended.TrySetResult());
            await ended.Task;
        }

        http.Abort();
    }

    public static async Task WriteMalformedAsync(HttpContext http, bool stream)
    {
        if (stream)
        {
            StartStream(http);
            await WriteEventAsync(http, "{\"id\": \"chatcmpl-broken\", \"choices\": [ {", http.RequestAborted);
            await WriteEventAsync(http, "[DONE]", http.RequestAborted);
            return;
        }

        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync("{\"id\": \"chatcmpl-broken\", \"object\": \"chat.completion\", \"choices\": [ {\"index\": 0, \"mess", http.RequestAborted);
    }

    private static void StartStream(HttpContext http)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
    }

    private static async Task WriteEventAsync(HttpContext http, string data, CancellationToken ct)
    {
        await http.Response.WriteAsync("data: " + data + "\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }

    private static string Chunk(string id, string model, Action<Utf8JsonWriter> delta, string? finishReason) => Json(w =>
    {
        WriteHeader(w, id, model, "chat.completion.chunk");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        delta(w);
        w.WriteEndObject();
        if (finishReason is null)
        {
            w.WriteNull("finish_reason");
        }
        else
        {
            w.WriteString("finish_reason", finishReason);
        }

        w.WriteEndObject();
        w.WriteEndArray();
    });

    private static void ToolDelta(Utf8JsonWriter w, int index, string? id, string? name, string arguments)
    {
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteNumber("index", index);
        if (id is not null)
        {
            w.WriteString("id", id);
            w.WriteString("type", "function");
        }

        w.WriteStartObject("function");
        if (name is not null)
        {
            w.WriteString("name", name);
        }

        w.WriteString("arguments", arguments);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteHeader(Utf8JsonWriter w, string id, string model, string kind)
    {
        w.WriteString("id", id);
        w.WriteString("object", kind);
        w.WriteNumber("created", Created);
        w.WriteString("model", model);
    }

    private static void WriteUsage(Utf8JsonWriter w, FakeResponse response)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", response.PromptTokens);
        w.WriteNumber("completion_tokens", response.CompletionTokens);
        w.WriteNumber("total_tokens", response.PromptTokens + response.CompletionTokens);
        w.WriteEndObject();
    }

    private static string FinishReason(FakeResponse response) => response.ToolCalls.Count > 0 ? "tool_calls" : "stop";

    private static IEnumerable<string> Split(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
