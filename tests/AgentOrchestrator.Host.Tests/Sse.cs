using System.Globalization;

namespace AgentOrchestrator.Host.Tests;

/// <summary>Reads a server-sent event stream the way a chat frontend does.</summary>
internal static class Sse
{
    public static Task<List<SseEvent>> ReadAsync(HttpClient client, string path, long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
        }

        return ReadAsync(client, request);
    }

    public static async Task<List<SseEvent>> ReadAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
            var events = new List<SseEvent>();
            long id = 0;
            var kind = string.Empty;
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = long.Parse(line[4..], CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    kind = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    events.Add(new SseEvent(id, kind, line[6..]));
                }
            }

            return events;
        }
    }
}

/// <summary>One received event.</summary>
internal sealed record SseEvent(long Id, string Kind, string Data);
