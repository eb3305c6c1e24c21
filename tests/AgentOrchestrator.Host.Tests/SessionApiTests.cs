using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AgentOrchestrator.Host.Tests;

/// <summary>The session API end to end on Kestrel: the offline demo model, the sample services, SSE.</summary>
public sealed class SessionApiTests
{
    private const string DeclinedOrder = "Create a contact for Ada Lovelace ada@example.com and charge 42 EUR with card 4000000000000002";

    [Fact]
    public async Task StartSession_DeclinedCard_StreamsRollbackAndMasksCard()
    {
        await using var host = await HostFixture.StartAsync();
        using var client = host.Client(HostFixture.ClientA);

        using var created = await client.PostAsJsonAsync("/v1/sessions", new { message = DeclinedOrder });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
        var events = await ReadSseAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed");

        var kinds = events.Select(e => e.Kind).ToList();
        Assert.Equal(2, kinds.Count(k => k == "compensation.completed"));
        Assert.True(kinds.IndexOf("tool.failed") < kinds.IndexOf("compensation.started"));
        var completed = events[^1];
        Assert.Equal("turn.completed", completed.Kind);
        Assert.Contains("rolled back", completed.Data, StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e.Data.Contains("4000000000000002", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Data.Contains("••••0002", StringComparison.Ordinal));
        Assert.Equal(events.Select(e => e.Id).Order(), events.Select(e => e.Id));
    }

    [Fact]
    public async Task Events_ReconnectWithLastEventId_ResumesAfterIt()
    {
        await using var host = await HostFixture.StartAsync();
        using var client = host.Client(HostFixture.ClientA);
        using var created = await client.PostAsJsonAsync("/v1/sessions", new { message = DeclinedOrder });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
        var all = await ReadSseAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed");

        var cut = all[all.Count / 2];
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/sessions/{id}/events?stopAfter=turn.completed");
        request.Headers.Add("Last-Event-ID", cut.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var resumed = await ReadSseAsync(client, request);

        Assert.Equal(all.SkipWhile(e => e.Id <= cut.Id).Select(e => e.Id), resumed.Select(e => e.Id));
    }

    [Fact]
    public async Task Events_Ids_IncreaseWithGapsWhereInternalEntriesAreSkippedAndResumeAcrossAGap()
    {
        await using var host = await HostFixture.StartAsync();
        using var client = host.Client(HostFixture.ClientA);
        using var created = await client.PostAsJsonAsync("/v1/sessions", new { message = DeclinedOrder });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
        var all = await ReadSseAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed");

        // The ids are the log's sequence numbers; the model's transcript records are in the log but not in the stream.
        var ids = all.Select(e => e.Id).ToList();
        Assert.All(ids.Zip(ids.Skip(1)), pair => Assert.True(pair.Second > pair.First));
        var gap = ids.Zip(ids.Skip(1)).First(pair => pair.Second > pair.First + 1);

        // An id just before a gap is as good a resume point as any: the next visible event comes next.
        var resumed = await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed", lastEventId: gap.First);
        Assert.Equal(gap.Second, resumed[0].Id);
        var inGap = await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed", lastEventId: gap.First + 1);
        Assert.Equal(gap.Second, inGap[0].Id);
    }

    [Fact]
    public async Task Requests_WrongKeysAndBadInput_AreRefusedAndChangeNothing()
    {
        await using var host = await HostFixture.StartAsync();
        using var a = host.Client(HostFixture.ClientA);
        using var b = host.Client(HostFixture.ClientB);
        using var admin = host.Client(HostFixture.Admin);
        using var anonymous = host.Client(null);
        using var created = await a.PostAsJsonAsync("/v1/sessions", new { });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/v1/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client("not-a-key").GetAsync($"/v1/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/v1/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsJsonAsync($"/v1/sessions/{id}/messages", new { text = "hijack" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a.GetAsync("/admin/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/sessions/{id}")).StatusCode);

        using var malformed = await a.PostAsync($"/v1/sessions/{id}/messages", new StringContent("{\"text\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        using var empty = await a.PostAsJsonAsync($"/v1/sessions/{id}/messages", new { text = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("empty", (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync("/v1/sessions/s-missing")).StatusCode);

        var status = await a.GetFromJsonAsync<JsonElement>($"/v1/sessions/{id}");
        Assert.Equal(0, status.GetProperty("turn").GetInt32());
        var listed = await admin.GetFromJsonAsync<JsonElement>("/admin/sessions");
        Assert.Single(listed.GetProperty("sessions").EnumerateArray());
    }

    private static Task<List<SseEvent>> ReadSseAsync(HttpClient client, string path) => Sse.ReadAsync(client, path);

    private static Task<List<SseEvent>> ReadSseAsync(HttpClient client, HttpRequestMessage request) => Sse.ReadAsync(client, request);
}
