using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentOrchestrator.Host.Tests;

/// <summary>A chat client that loses a response and sends the same request again never starts anything twice.</summary>
public sealed class IdempotencyApiTests
{
    private const string GoodOrder = "Create a contact for Ada Lovelace ada@example.com and charge 42 EUR with card 4242424242424242";

    [Fact]
    public async Task StartSession_RetriedWithTheSameIdempotencyKey_Returns200AndTheSameSessionAndChargesOnce()
    {
        await using var host = await HostFixture.StartAsync();
        using var client = host.Client(HostFixture.ClientA);

        using var first = await StartAsync(client, "order-42", GoodOrder);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
        var events = await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed");
        using var retry = await StartAsync(client, "order-42", GoodOrder);
        using var other = await StartAsync(client, "order-42", "Something else entirely");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(id, (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Contains("order-42", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(events, e => e.Kind == "tool.completed" && e.Data.Contains("billing_charge_payment", StringComparison.Ordinal));
        var replayed = await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed");
        Assert.Single(replayed, e => e.Kind == "turn.started");
    }

    [Fact]
    public async Task SendMessage_ResentWithTheSameMessageId_Is200WithTheFirstTurnAndOtherTextIs409()
    {
        await using var host = await HostFixture.StartAsync();
        using var client = host.Client(HostFixture.ClientA);
        using var created = await client.PostAsJsonAsync("/v1/sessions", new { });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;

        using var sent = await client.PostAsJsonAsync($"/v1/sessions/{id}/messages", new { text = "Hello", messageId = "m-7" });
        await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed");
        using var resent = await client.PostAsJsonAsync($"/v1/sessions/{id}/messages", new { text = "Hello", messageId = "m-7" });
        using var changed = await client.PostAsJsonAsync($"/v1/sessions/{id}/messages", new { text = "Hello again", messageId = "m-7" });

        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        var receipt = await resent.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(receipt.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, receipt.GetProperty("turn").GetInt32());
        Assert.False(string.IsNullOrEmpty(receipt.GetProperty("answer").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        Assert.Contains("m-7", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var status = await client.GetFromJsonAsync<JsonElement>($"/v1/sessions/{id}");
        Assert.Equal(1, status.GetProperty("turn").GetInt32());
    }

    private static Task<HttpResponseMessage> StartAsync(HttpClient client, string key, string message)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sessions") { Content = JsonContent.Create(new { message }) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
