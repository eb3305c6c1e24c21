using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AgentOrchestrator.Host.Tests;

/// <summary>Bad input is answered with a 4xx problem-details body that says what is wrong, and changes nothing.</summary>
public sealed class BadRequestTests
{
    [Fact]
    public async Task BadRequests_EveryKind_AreProblemDetailsAndChangeNothing()
    {
        await using var host = await HostFixture.StartAsync();
        using var client = host.Client(HostFixture.ClientA);
        using var admin = host.Client(HostFixture.Admin);
        using var created = await client.PostAsJsonAsync("/v1/sessions", new { });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
        var before = await admin.GetFromJsonAsync<JsonElement>($"/admin/sessions/{id}/events");

        var cases = new (string Method, string Path, HttpContent? Body, HttpClient Client, HttpStatusCode Expected)[]
        {
            ("POST", "/v1/sessions", Json("{\"message\": "), client, HttpStatusCode.BadRequest),
            ("POST", "/v1/sessions", Json("{\"message\": 42}"), client, HttpStatusCode.BadRequest),
            ("POST", $"/v1/sessions/{id}/messages", Json("not json"), client, HttpStatusCode.BadRequest),
            ("POST", $"/v1/sessions/{id}/messages", Json("{\"text\": \"\"}"), client, HttpStatusCode.BadRequest),
            ("POST", $"/v1/sessions/{id}/messages", Json("{\"text\": \"" + new string('x', 40_000) + "\"}"), client, HttpStatusCode.BadRequest),
            ("POST", $"/v1/sessions/{id}/messages", Json("{\"text\": \"" + new string('x', 2_000_000) + "\"}"), client, HttpStatusCode.RequestEntityTooLarge),
            ("POST", $"/v1/sessions/{id}/approvals/no-such-call", Json("{\"approved\": true}"), client, HttpStatusCode.BadRequest),
            ("POST", $"/v1/sessions/{id}/approvals/no-such-call", Json("{}"), client, HttpStatusCode.BadRequest),
            ("GET", "/v1/sessions/s-unknown", null, client, HttpStatusCode.NotFound),
            ("POST", "/v1/sessions/s-unknown/messages", Json("{\"text\": \"hi\"}"), client, HttpStatusCode.NotFound),
            ("GET", "/v1/sessions/s-unknown/events", null, client, HttpStatusCode.NotFound),
            ("GET", "/admin/sessions?status=sleeping", null, admin, HttpStatusCode.BadRequest),
            ("GET", "/admin/sessions?pageSize=0", null, admin, HttpStatusCode.BadRequest),
            ("GET", "/admin/sessions/s-unknown/history", null, admin, HttpStatusCode.NotFound),
            ("POST", $"/admin/sessions/{id}/chains/no-such-chain/retry", Json("{}"), admin, HttpStatusCode.BadRequest),
            ("POST", "/admin/sessions/s-unknown/terminate", Json("{}"), admin, HttpStatusCode.NotFound),
            ("DELETE", $"/admin/sessions/{id}", null, admin, HttpStatusCode.Conflict),
        };

        var failures = new List<string>();
        foreach (var (method, path, body, caller, expected) in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body };
            using var response = await caller.SendAsync(request);
            var type = response.Content.Headers.ContentType?.MediaType;
            if (response.StatusCode != expected || type != "application/problem+json")
            {
                failures.Add($"{method} {path[..Math.Min(path.Length, 60)]}: expected {(int)expected} problem+json, got {(int)response.StatusCode} {type}");
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
}
