using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

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
