using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AgentOrchestrator.Host.Tests;

/// <summary>
/// Every endpoint x every role, table-driven: without a key 401; with the wrong role 403; a client asking for another
/// client's session gets 404 exactly like a missing one; otherwise the request is let through (whatever the endpoint
/// then says about the request itself).
/// </summary>
public sealed class AuthorizationMatrixTests
{
    private enum Caller
    {
        Anonymous,
        Owner,
        OtherClient,
        Admin,
        Integrator,
    }

    private enum Expect
    {
        Unauthorized,
        Forbidden,
        Hidden,
        Allowed,
    }

    private enum Area
    {
        NewSession,
        Session,
        Admin,
        ToolsRead,
        ToolsWrite,
    }

    /// <summary>A valid manifest, so the DELETE row after the PUT row meets one (deleting a missing manifest is 404).</summary>
    private const string MatrixManifest = """
        {"service":"matrix","http":{"baseUrl":"http://127.0.0.1:5999/matrix"},"tools":[{"name":"matrix_ping","version":"1.0.0",
         "description":"Pings.","parameters":{"type":"object","properties":{},"additionalProperties":false},
         "binding":{"http":{"method":"GET","path":"/ping"}},"effects":{"readOnly":true}}]}
        """;

    // Destructive rows come last, so the rows before them meet an open session.
    private static readonly (string Method, string Path, string? Body, Area Area)[] Endpoints =
    [
        ("POST", "/v1/sessions", "{}", Area.NewSession),
        ("GET", "/v1/sessions/{id}", null, Area.Session),
        ("POST", "/v1/sessions/{id}/messages", """{"text":"hello","messageId":"m-matrix"}""", Area.Session),
        ("GET", "/v1/sessions/{id}/events", null, Area.Session),
        ("POST", "/v1/sessions/{id}/approvals/call-x", """{"approved":true}""", Area.Session),
        ("GET", "/admin/sessions", null, Area.Admin),
        ("GET", "/admin/sessions/{id}", null, Area.Admin),
        ("GET", "/admin/sessions/{id}/events", null, Area.Admin),
        ("GET", "/admin/sessions/{id}/history", null, Area.Admin),
        ("POST", "/admin/sessions/{id}/chains/chain-x/retry", "{}", Area.Admin),
        ("POST", "/admin/sessions/{id}/chains/chain-x/resolve", "{}", Area.Admin),
        ("GET", "/admin/dead-letters", null, Area.Admin),
        ("GET", "/v1/tools", null, Area.ToolsRead),
        ("GET", "/v1/manifests/crm", null, Area.ToolsRead),
        ("PUT", "/v1/manifests/matrix", MatrixManifest, Area.ToolsWrite),
        ("DELETE", "/v1/manifests/matrix", null, Area.ToolsWrite),
        ("POST", "/v1/sessions/{id}/cancel", "{}", Area.Session),
        ("POST", "/admin/sessions/{id}/suspend", "{}", Area.Admin),
        ("POST", "/admin/sessions/{id}/resume", "{}", Area.Admin),
        ("DELETE", "/v1/sessions/{id}", null, Area.Session),
        ("POST", "/admin/sessions/{id}/terminate", "{}", Area.Admin),
        ("DELETE", "/admin/sessions/{id}", null, Area.Admin),
    ];

    [Fact]
    public async Task EveryEndpoint_EveryRole_AnswersAsTheMatrixSays()
    {
        await using var host = await HostFixture.StartAsync();
        using var owner = host.Client(HostFixture.ClientA);
        var failures = new List<string>();
        foreach (var caller in Enum.GetValues<Caller>())
        {
            // A fresh session of client A for every caller, so each caller meets the same state.
            using var created = await owner.PostAsJsonAsync("/v1/sessions", new { });
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
            using var client = host.Client(KeyOf(caller));
            foreach (var (method, path, body, area) in Endpoints)
            {
                var expected = Expected(caller, area);
                var status = await SendAsync(client, method, path.Replace("{id}", id, StringComparison.Ordinal), body);
                if (!Matches(expected, status))
                {
                    failures.Add($"{caller,-11} {method,-6} {path}: expected {expected}, got {(int)status} {status}");
                }
            }
        }

        Assert.True(failures.Count == 0, "Authorization mismatches:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task ForeignSession_ClientKey_LooksExactlyLikeAMissingOne()
    {
        await using var host = await HostFixture.StartAsync();
        using var a = host.Client(HostFixture.ClientA);
        using var b = host.Client(HostFixture.ClientB);
        using var created = await a.PostAsJsonAsync("/v1/sessions", new { });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;

        using var foreign = await b.GetAsync($"/v1/sessions/{id}");
        using var missing = await b.GetAsync("/v1/sessions/s-00000000000000000000000000000000");

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var foreignBody = (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString();
        var missingBody = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString();
        Assert.Equal(missingBody, foreignBody);
        var listed = await b.GetAsync("/admin/sessions");
        Assert.Equal(HttpStatusCode.Forbidden, listed.StatusCode);
    }

    private static Expect Expected(Caller caller, Area area) => (caller, area) switch
    {
        (Caller.Anonymous, _) => Expect.Unauthorized,
        (Caller.Owner or Caller.OtherClient or Caller.Admin, Area.NewSession) => Expect.Allowed,
        (Caller.Owner or Caller.Admin, Area.Session) => Expect.Allowed,
        (Caller.OtherClient, Area.Session) => Expect.Hidden,
        (Caller.Admin, Area.Admin or Area.ToolsRead) => Expect.Allowed,
        (Caller.Integrator, Area.ToolsRead or Area.ToolsWrite) => Expect.Allowed,
        _ => Expect.Forbidden,
    };

    private static bool Matches(Expect expected, HttpStatusCode status) => expected switch
    {
        Expect.Unauthorized => status == HttpStatusCode.Unauthorized,
        Expect.Forbidden => status == HttpStatusCode.Forbidden,
        Expect.Hidden => status == HttpStatusCode.NotFound,
        _ => status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound) && (int)status < 500,
    };

    private static string? KeyOf(Caller caller) => caller switch
    {
        Caller.Owner => HostFixture.ClientA,
        Caller.OtherClient => HostFixture.ClientB,
        Caller.Admin => HostFixture.Admin,
        Caller.Integrator => HostFixture.Integrator,
        _ => null,
    };

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        // Headers are enough: an allowed event stream stays open, and the status is already known.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        return response.StatusCode;
    }
}
