using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentOrchestrator.Host.Tests;

/// <summary>The API's rate limiter guards the API per key; the embedded sample services are another service.</summary>
public sealed class RateLimitTests
{
    private const string DeclinedOrder = "Create a contact for Ada Lovelace ada@example.com and charge 42 EUR with card 4000000000000002";

    [Fact]
    public async Task SessionTools_CallingEmbeddedSampleServices_AreNotRefusedByTheApiLimiter()
    {
        // The tools reach /samples from this host's own address with the samples' key, which the API does not know: to
        // the API limiter they look anonymous. Two anonymous requests a window is far fewer than one turn's six calls
        // (contact, invoice, charge, and two compensations), as after a restart when many sessions resume at once.
        await using var host = await HostFixture.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimit:AnonymousPermitsPerWindow"] = "2",
            ["RateLimit:Window"] = "00:10:00",
        });
        using var client = host.Client(HostFixture.ClientA);
        using var anonymous = host.Client(null);

        using var created = await client.PostAsJsonAsync("/v1/sessions", new { message = DeclinedOrder });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
        var events = await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed");

        var failed = Assert.Single(events, e => e.Kind == "tool.failed");
        Assert.Equal("card_declined", JsonDocument.Parse(failed.Data).RootElement.GetProperty("code").GetString());
        Assert.Equal(2, events.Count(e => e.Kind == "compensation.completed"));
        Assert.DoesNotContain(events, e => e.Data.Contains("429", StringComparison.Ordinal));

        // The API surface is still limited per address for callers without a valid key.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await anonymous.GetAsync("/v1/sessions/s-any");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }
}
