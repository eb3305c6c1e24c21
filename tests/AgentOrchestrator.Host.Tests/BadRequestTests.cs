using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AgentOrchestrator.Host.Tests;

/// <summary>Bad input is answered with a 4xx problem-details body that says what is wrong, and changes nothing.</summary>
public sealed class BadRequestTests
{
    [Fact]
    public async Task BadRequests_EveryKind_AreProblemDetailsNamingWhatIsWrongAndChangeNothing()
    {
        await using var host = await HostFixture.StartAsync();
        using var client = host.Client(HostFixture.ClientA);
        using var admin = host.Client(HostFixture.Admin);
        using var created = await client.PostAsJsonAsync("/v1/sessions", new { });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
        var before = await admin.GetFromJsonAsync<JsonElement>($"/admin/sessions/{id}/events");
        var longReason = new string('r', 2_001);

        // Each case: the request, the status, and a word the problem's detail must name (the field, parameter or header).
        var cases = new BadRequest[]
        {
            // Bodies: malformed JSON, wrong types, wrong shapes, too large, wrong content type.
            new("POST", "/v1/sessions", client, 400, "JSON", Json("{\"message\": ")),
            new("POST", "/v1/sessions", client, 400, "message", Json("{\"message\": 42}")),
            new("POST", "/v1/sessions", client, 400, "JSON", Json("[\"hello\"]")),
            new("POST", "/v1/sessions", client, 415, "application/json", new StringContent("{\"message\": \"hi\"}", Encoding.UTF8, "text/plain")),
            new("POST", $"/v1/sessions/{id}/messages", client, 400, "JSON", Json("not json")),
            new("POST", $"/v1/sessions/{id}/messages", client, 400, "text", Json("{\"text\": \"\"}")),
            new("POST", $"/v1/sessions/{id}/messages", client, 400, "text", Json("{\"text\": true}")),
            new("POST", $"/v1/sessions/{id}/messages", client, 400, "text", Json("{\"text\": \"" + new string('x', 40_000) + "\"}")),
            new("POST", $"/v1/sessions/{id}/messages", client, 413, "bytes", Json("{\"text\": \"" + new string('x', 2_000_000) + "\"}")),
            new("POST", $"/v1/sessions/{id}/messages", client, 400, "messageId", Json("{\"text\": \"hi\", \"messageId\": 7}")),
            new("POST", $"/v1/sessions/{id}/messages", client, 400, "messageId", Json("{\"text\": \"hi\", \"messageId\": \"" + new string('m', 201) + "\"}")),
            new("POST", $"/v1/sessions/{id}/messages", client, 400, "messageId", Json("{\"text\": \"hi\", \"messageId\": \"a\\u0000b\"}")),
            new("POST", $"/v1/sessions/{id}/approvals/no-such-call", client, 400, "no-such-call", Json("{\"approved\": true}")),
            new("POST", $"/v1/sessions/{id}/approvals/no-such-call", client, 400, "approved", Json("{}")),
            new("POST", $"/v1/sessions/{id}/approvals/no-such-call", client, 400, "approved", Json("{\"approved\": \"yes\"}")),
            new("POST", $"/v1/sessions/{id}/approvals/no-such-call", client, 400, "reason", Json("{\"approved\": false, \"reason\": \"" + longReason + "\"}")),
            new("POST", $"/v1/sessions/{id}/cancel", client, 400, "reason", Json("{\"reason\": \"" + longReason + "\"}")),
            new("POST", $"/v1/sessions/{id}/cancel", client, 400, "reason", Json("{\"reason\": 5}")),
            new("POST", $"/admin/sessions/{id}/chains/no-such-chain/resolve", admin, 400, "reason", Json("{\"reason\": \"" + longReason + "\"}")),
            new("POST", $"/admin/sessions/{id}/suspend", admin, 400, "reason", Json("{\"reason\": \"" + longReason + "\"}")),
            new("POST", $"/admin/sessions/{id}/terminate", admin, 400, "reason", Json("{\"reason\": \"" + longReason + "\"}")),

            // Query values and headers.
            new("GET", $"/v1/sessions/{id}/events?after=abc", client, 400, "after"),
            new("GET", $"/v1/sessions/{id}/events?after=-1", client, 400, "after"),
            new("GET", $"/v1/sessions/{id}/events?stopAfter=turn.finished", client, 400, "stopAfter"),
            new("GET", $"/v1/sessions/{id}/events", client, 400, "Last-Event-ID", Headers: [("Last-Event-ID", "yesterday")]),
            new("GET", $"/v1/sessions/{id}/events", client, 400, "Last-Event-ID", Headers: [("Last-Event-ID", "-5")]),
            new("GET", $"/admin/sessions/{id}/events?after=-5", admin, 400, "after"),
            new("GET", $"/admin/sessions/{id}/events?max=0", admin, 400, "max"),
            new("GET", $"/admin/sessions/{id}/events?max=5000", admin, 400, "max"),
            new("GET", $"/admin/sessions/{id}/events?max=many", admin, 400, "max"),
            new("GET", "/admin/dead-letters?limit=-1", admin, 400, "limit"),
            new("GET", "/admin/dead-letters?limit=ten", admin, 400, "limit"),
            new("GET", "/admin/sessions?status=sleeping", admin, 400, "status"),
            new("GET", "/admin/sessions?pageSize=0", admin, 400, "pageSize"),
            new("GET", "/admin/sessions?pageSize=-3", admin, 400, "pageSize"),
            new("GET", "/admin/sessions?needsAttention=maybe", admin, 400, "needsAttention"),
            new("GET", "/admin/sessions?page=not-a-token", admin, 400, "page"),

            // Path segments with control characters (%00 is refused by Kestrel itself; see below).
            new("GET", "/v1/sessions/s-%01", client, 400, "path segment 's-%01'"),
            new("POST", $"/v1/sessions/{id}/approvals/a%0Ab", client, 400, "U+000A", Json("{\"approved\": true}")),
            new("GET", $"/admin/sessions/{id}%7F/history", admin, 400, "U+007F"),

            // Unknown, foreign, ended.
            new("GET", "/v1/sessions/s-unknown", client, 404, "s-unknown"),
            new("POST", "/v1/sessions/s-unknown/messages", client, 404, "s-unknown", Json("{\"text\": \"hi\"}")),
            new("GET", "/v1/sessions/s-unknown/events", client, 404, "s-unknown"),
            new("GET", "/admin/sessions/s-unknown/history", admin, 404, "s-unknown"),
            new("POST", $"/admin/sessions/{id}/chains/no-such-chain/retry", admin, 400, "no-such-chain", Json("{}")),
            new("POST", "/admin/sessions/s-unknown/terminate", admin, 404, "s-unknown", Json("{}")),
            new("DELETE", $"/admin/sessions/{id}", admin, 409, "terminate"),
        };

        var failures = new List<string>();
        foreach (var c in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path) { Content = c.Body };

            // The server refuses an oversized body by its Content-Length and may close the connection while a client
            // still sends it; a client that asks first (Expect: 100-continue) gets the refusal without a broken pipe.
            request.Headers.ExpectContinue = c.Expected == 413;
            foreach (var (name, value) in c.Headers ?? [])
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            // Headers first: a stream that opens instead of a refusal is a failure to report, not a wait.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var response = await c.Caller.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var type = response.Content.Headers.ContentType?.MediaType;
            var detail = type == "application/problem+json"
                ? (await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).TryGetProperty("detail", out var d) ? d.GetString() : null
                : null;
            if ((int)response.StatusCode != c.Expected || type != "application/problem+json" || detail?.Contains(c.Mentions, StringComparison.Ordinal) != true)
            {
                failures.Add($"{c.Method} {c.Path[..Math.Min(c.Path.Length, 70)]}: expected {c.Expected} problem+json naming '{c.Mentions}', got {(int)response.StatusCode} {type}: {detail}");
            }
        }

        // Kestrel refuses an encoded NUL in the path before the application runs: a bare 400, and the connection closes.
        foreach (var path in new[] { "/v1/sessions/s-%00", $"/v1/sessions/{id}/approvals/a%00b", $"/admin/sessions/{id}%00/history" })
        {
            using var nul = host.Client(HostFixture.Admin);
            using var response = await nul.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                failures.Add($"{path}: expected 400, got {(int)response.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var status = await client.GetFromJsonAsync<JsonElement>($"/v1/sessions/{id}");
        Assert.Equal(0, status.GetProperty("turn").GetInt32());
        Assert.Contains(status.GetProperty("status").GetString(), new[] { "pending", "running" });
        var after = await admin.GetFromJsonAsync<JsonElement>($"/admin/sessions/{id}/events");
        Assert.Equal(before.GetArrayLength(), after.GetArrayLength());
        var sessions = await admin.GetFromJsonAsync<JsonElement>("/admin/sessions");
        Assert.Single(sessions.GetProperty("sessions").EnumerateArray());
    }

    [Fact]
    public async Task ManyRequests_OneKey_AreLimitedWithRetryAfterWhileOtherKeysGoOn()
    {
        await using var host = await HostFixture.StartAsync(new Dictionary<string, string?> { ["RateLimit:PermitsPerWindow"] = "3", ["RateLimit:Window"] = "00:10:00" });
        using var a = host.Client(HostFixture.ClientA);
        using var b = host.Client(HostFixture.ClientB);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await a.GetAsync("/v1/sessions/s-unknown");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            }
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
        using var other = await b.GetAsync("/v1/sessions/s-unknown");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private sealed record BadRequest(
        string Method, string Path, HttpClient Caller, int Expected, string Mentions, HttpContent? Body = null, (string Name, string Value)[]? Headers = null);
}
