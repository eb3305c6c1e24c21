using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentOrchestrator.FakeOpenAI;

namespace AgentOrchestrator.Host.Tests;

/// <summary>What operators rely on: health, the OpenAPI document, and streams that survive a host restart.</summary>
public sealed class OperationsTests
{
    private const string DeclinedOrder = "Create a contact for Ada Lovelace ada@example.com and charge 42 EUR with card 4000000000000002";

    [Fact]
    public async Task HealthAndOpenApi_NoKey_AreServed()
    {
        await using var host = await HostFixture.StartAsync();
        using var anonymous = host.Client(null);

        using var live = await anonymous.GetAsync("/health/live");
        using var ready = await anonymous.GetAsync("/health/ready");
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/v1/sessions", "/v1/sessions/{id}/events", "/admin/sessions/{id}/history", "/v1/manifests/{name}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        Assert.Equal("X-Api-Key", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Events_ReconnectAfterHostRestartOnSameFile_ResumeAfterLastEventId()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ao-host-restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            string id;
            List<SseEvent> before;
            await using (var first = await HostFixture.StartAsync(folder: folder))
            {
                using var client = first.Client(HostFixture.ClientA);
                using var created = await client.PostAsJsonAsync("/v1/sessions", new { message = DeclinedOrder });
                id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
                before = await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed");
            }

            await using var second = await HostFixture.StartAsync(folder: folder);
            using var again = second.Client(HostFixture.ClientA);
            var cut = before[before.Count / 3];
            var resumed = await Sse.ReadAsync(again, $"/v1/sessions/{id}/events?stopAfter=turn.completed", lastEventId: cut.Id);
            var fromQuery = await Sse.ReadAsync(again, $"/v1/sessions/{id}/events?stopAfter=turn.completed&after={cut.Id}");

            Assert.Equal(before.Where(e => e.Id > cut.Id).Select(e => (e.Id, e.Kind, e.Data)), resumed.Select(e => (e.Id, e.Kind, e.Data)));
            Assert.Equal(resumed, fromQuery);
            Assert.Contains(resumed, e => e.Kind == "compensation.completed");
        }
        finally
        {
            HostFixture.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task Events_HostRestartsWhileTurnWaitsForApproval_StreamResumesAndTurnFinishes()
    {
        // A real model endpoint (the loopback fake, through the real Azure OpenAI client): a refund above 100 needs
        // approval, so the turn is stopped mid-way, in a known place, when the host goes down.
        await using var model = await FakeOpenAIServer.StartAsync();
        model.EnqueueForAnyDeployment(
            FakeResponse.ToolCallAnswer(new FakeToolCall("call_1", "billing_refund_payment", """{"paymentId":"py_abc123","amount":250}""")),
            FakeResponse.TextAnswer("Understood: no refund was made."));
        var settings = new Dictionary<string, string?>
        {
            ["Agents:Model:Provider"] = "AzureOpenAI",
            ["Agents:Model:Endpoint"] = model.BaseUrl.ToString(),
            ["Agents:Model:ApiKey"] = "test-key",
            ["Agents:Model:Deployments:0"] = "gpt-test",
        };
        var folder = Path.Combine(Path.GetTempPath(), "ao-host-midturn-" + Guid.NewGuid().ToString("N"));
        try
        {
            string id;
            List<SseEvent> before;
            await using (var first = await HostFixture.StartAsync(settings, folder))
            {
                using var client = first.Client(HostFixture.ClientA);
                using var created = await client.PostAsJsonAsync("/v1/sessions", new { message = "Refund 250 of payment py_abc123." });
                id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
                before = await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=approval.needed");
            }

            await using var second = await HostFixture.StartAsync(settings, folder);
            using var again = second.Client(HostFixture.ClientA);
            var resuming = Sse.ReadAsync(again, $"/v1/sessions/{id}/events?stopAfter=turn.completed", lastEventId: before[^1].Id);
            using var denied = await again.PostAsJsonAsync($"/v1/sessions/{id}/approvals/call_1", new { approved = false, reason = "not without a ticket" });
            var resumed = await resuming;
            var whole = await Sse.ReadAsync(again, $"/v1/sessions/{id}/events?stopAfter=turn.completed");

            Assert.Equal(HttpStatusCode.Accepted, denied.StatusCode);
            Assert.Equal("approval.needed", before[^1].Kind);
            Assert.DoesNotContain(before, e => e.Kind == "turn.completed");
            Assert.Contains(resumed, e => e.Kind == "approval.decided");
            Assert.Contains("Understood: no refund was made.", resumed[^1].Data, StringComparison.Ordinal);
            // Nothing lost and nothing repeated across the restart: what the client saw before and after is the whole log.
            Assert.Equal(whole.Select(e => (e.Id, e.Kind)), before.Concat(resumed).Select(e => (e.Id, e.Kind)));
            // The restart repeated no model call; the second call told the model the refund was denied.
            Assert.Equal(2, model.Requests.Count);
            Assert.Contains(model.Requests[1].Messages, m => m.Role == "tool" && m.ToolCallId == "call_1" && m.Content!.Contains("denied", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            HostFixture.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task LocalSettingsSample_CopiedAsIs_AcceptsItsDevKeysAndRefusesTheDemoKeys()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ao-host-sample-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "local.settings.sample.json"), Path.Combine(folder, "local.settings.json"));
        try
        {
            await using var host = await HostFixture.StartAsync(folder: folder);
            using var devClient = host.Client("dev-client-key");
            using var devAdmin = host.Client("dev-admin-key");
            using var devIntegrator = host.Client("dev-integrator-key");
            using var demo = host.Client("demo-client-key");

            using var started = await devClient.PostAsJsonAsync("/v1/sessions", new { });
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
            Assert.Equal("dev-client", (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("owner").GetString());
            Assert.Equal(HttpStatusCode.OK, (await devAdmin.GetAsync("/admin/sessions")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await devIntegrator.GetAsync("/v1/tools")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await demo.GetAsync("/v1/sessions/s-any")).StatusCode);
        }
        finally
        {
            HostFixture.DeleteFolder(folder);
        }
    }
}
