using System.Net.Http.Json;
using System.Text.Json;
using AgentOrchestrator.FakeOpenAI;

namespace AgentOrchestrator.Host.Tests;

/// <summary>
/// Failures as a chat client sees them name no internal address or endpoint; support staff still see the detail.
/// </summary>
public sealed class ClientErrorTests
{
    private const string Order = "Create a contact for Ada Lovelace ada@example.com and charge 42 EUR with card 4000000000000002";

    [Fact]
    public async Task ToolServiceUnreachable_ClientSeesNoAddressStaffSeeIt()
    {
        // The CRM's base URL names a loopback port nobody listens on: the tool fails with "Connection refused
        // (127.0.0.1:port)", and the scripted model repeats the tool's error in its answer.
        var port = HostFixture.FreePort();
        await using var host = await HostFixture.StartAsync(new Dictionary<string, string?>
        {
            ["AgentTools:Services:crm:BaseUrl"] = $"http://127.0.0.1:{port}/samples/crm",
            ["AgentTools:AllowedOrigins:2"] = $"http://127.0.0.1:{port}", // allowed, but nobody listens there
        });
        var (streamed, status, staff) = await RunOrderAsync(host);

        // Each attempt's failure is streamed; the client learns what went wrong, not where.
        var failed = streamed.Last(e => e.Kind == "tool.failed");
        Assert.Contains("network_error", failed.Data, StringComparison.Ordinal);
        Assert.Contains("could not be reached", failed.Data, StringComparison.Ordinal);
        Assert.Contains("[internal address]", failed.Data, StringComparison.Ordinal);
        var answer = string.Concat(streamed.Where(e => e.Kind == "model.delta").Select(Text));
        Assert.Contains("could not be reached", answer, StringComparison.Ordinal);
        AssertNamesNoAddress(port, [.. streamed.Select(e => $"{e.Kind} {e.Data}"), status, answer]);
        Assert.Contains($"127.0.0.1:{port}", staff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelEndpointUnreachable_ClientSeesNoEndpointStaffSeeIt()
    {
        var port = HostFixture.FreePort();
        await using var host = await HostFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Agents:Model:Provider"] = "AzureOpenAI",
            ["Agents:Model:Endpoint"] = $"http://127.0.0.1:{port}/",
            ["Agents:Model:ApiKey"] = "test-key",
            ["Agents:Model:Deployments:0"] = "gpt-test",
            ["Agents:Model:MaxAttempts"] = "1",
        });
        var (streamed, status, staff) = await RunOrderAsync(host);

        Assert.Contains(streamed, e => e.Kind == "model.failed");
        AssertNamesNoAddress(port, [.. streamed.Select(e => $"{e.Kind} {e.Data}"), status]);
        Assert.Contains($"127.0.0.1:{port}", staff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamedAnswer_AddressAndCardSplitAcrossDeltas_ClientGetsThemHiddenWholeAlsoWhenResumingMidStep()
    {
        // A real streamed answer: the fake model sends 4 characters a chunk and the session writes deltas of about 48, so
        // the 60-character URL cannot fit in one delta, and the grouped card number may be cut anywhere.
        const string Answer = "Done. The receipt is at http://10.20.30.40:8443/billing/receipts/in_0001/pdf?download=1 and the "
            + "card 4000 0000 0000 0002 was charged. Anything else?";
        await using var model = await FakeOpenAIServer.StartAsync();
        model.EnqueueForAnyDeployment(FakeResponse.TextAnswer(Answer).WithChunking(4, 5));
        await using var host = await HostFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Agents:Model:Provider"] = "AzureOpenAI",
            ["Agents:Model:Endpoint"] = model.BaseUrl.ToString(),
            ["Agents:Model:ApiKey"] = "test-key",
            ["Agents:Model:Deployments:0"] = "gpt-test",
        });
        using var client = host.Client(HostFixture.ClientA);
        using var admin = host.Client(HostFixture.Admin);
        using var created = await client.PostAsJsonAsync("/v1/sessions", new { message = "Where is my receipt?" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;

        var streamed = await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed");
        var deltas = streamed.Where(e => e.Kind == "model.delta").ToList();
        var answer = string.Concat(deltas.Select(Text));

        Assert.True(deltas.Count >= 3, $"{deltas.Count} deltas");
        Assert.Equal(
            "Done. The receipt is at [internal address] and the card ••••0002 was charged. Anything else?", answer);
        Assert.Equal(answer, Text(streamed.Single(e => e.Kind == "model.completed")));
        // Resuming after any delta gives exactly the rest of the same text: the cut does not depend on where a stream began.
        foreach (var delta in deltas)
        {
            var resumed = await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed", lastEventId: delta.Id);
            var before = string.Concat(deltas.TakeWhile(d => d.Id <= delta.Id).Select(Text));
            Assert.Equal(answer, before + string.Concat(resumed.Where(e => e.Kind == "model.delta").Select(Text)));
        }

        var staff = await admin.GetStringAsync($"/admin/sessions/{id}/events");
        Assert.Contains("http://10.20.30.40:8443/billing/receipts", staff, StringComparison.Ordinal);
        Assert.DoesNotContain("4000 0000 0000 0002", staff, StringComparison.Ordinal);
    }

    /// <summary>Starts a session with <see cref="Order"/> and reads its turn as the client streams it, its status, and its staff timeline.</summary>
    private static async Task<(IReadOnlyList<SseEvent> Streamed, string Status, string Staff)> RunOrderAsync(HostFixture host)
    {
        using var client = host.Client(HostFixture.ClientA);
        using var admin = host.Client(HostFixture.Admin);
        using var created = await client.PostAsJsonAsync("/v1/sessions", new { message = Order });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
        var streamed = await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed");
        var status = await client.GetStringAsync($"/v1/sessions/{id}");
        var staff = await admin.GetStringAsync($"/admin/sessions/{id}/events");
        return (streamed, status, staff);
    }

    private static string Text(SseEvent e) => JsonDocument.Parse(e.Data).RootElement.GetProperty("text").GetString()!;

    private static void AssertNamesNoAddress(int port, IEnumerable<string> shown)
    {
        var leaks = shown.Where(s => s.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            || s.Contains("127.0.0.1", StringComparison.Ordinal) || s.Contains("localhost", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(leaks.Count == 0, "The client is shown an internal address:\n" + string.Join("\n", leaks));
    }
}
