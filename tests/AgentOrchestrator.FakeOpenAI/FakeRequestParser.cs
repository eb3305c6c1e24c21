using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AgentOrchestrator.FakeOpenAI;

/// <summary>Reads what a test may assert on out of a chat-completions request.</summary>
internal static class FakeRequestParser
{
    public static RecordedRequest Parse(HttpContext http, string? routeDeployment, string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var includeUsage = root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object
            && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;

        var messages = new List<RecordedMessage>();
        if (root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in list.EnumerateArray())
            {
                messages.Add(new RecordedMessage(
                    message.GetProperty("role").GetString() ?? string.Empty,
                    ContentText(message),
                    message.TryGetProperty("tool_call_id", out var callId) ? callId.GetString() : null,
                    ToolCalls(message)));
            }
        }

        var tools = new List<string>();
        if (root.TryGetProperty("tools", out var toolList) && toolList.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in toolList.EnumerateArray())
            {
                if (tool.TryGetProperty("function", out var function) && function.TryGetProperty("name", out var name))
                {
                    tools.Add(name.GetString() ?? string.Empty);
                }
            }
        }

        string? apiKey = http.Request.Headers["api-key"];
        var authorization = http.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(apiKey) && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            apiKey = authorization["Bearer ".Length..];
        }

        return new RecordedRequest(
            http.Request.Path.Value ?? string.Empty, routeDeployment ?? model ?? string.Empty, stream, includeUsage, messages, tools,
            string.IsNullOrEmpty(apiKey) ? null : apiKey, body);
    }

    private static string? ContentText(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return null;
        }

        return content.ValueKind switch
        {
            JsonValueKind.String => content.GetString(),
            JsonValueKind.Array => string.Concat(content.EnumerateArray()
                .Where(p => p.TryGetProperty("text", out _))
                .Select(p => p.GetProperty("text").GetString())),
            _ => null,
        };
    }

    private static List<FakeToolCall> ToolCalls(JsonElement message)
    {
        var calls = new List<FakeToolCall>();
        if (message.TryGetProperty("tool_calls", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in list.EnumerateArray())
            {
                var function = call.GetProperty("function");
                calls.Add(new FakeToolCall(
                    call.GetProperty("id").GetString() ?? string.Empty,
                    function.GetProperty("name").GetString() ?? string.Empty,
                    function.TryGetProperty("arguments", out var args) ? args.GetString() ?? string.Empty : string.Empty));
            }
        }

        return calls;
    }
}
