using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentOrchestrator.Testing;

namespace AgentOrchestrator.Host.Tests;

/// <summary>
/// The host with <c>extensions:durableTask:storageProvider:type=AzureStorage</c> (DurableTask.AzureStorage) on Azurite (started by <c>./scripts/test.sh</c>): sessions,
/// their event logs and the engine's queues live in one task hub that several hosts could share.
/// </summary>
[Trait("Category", "AzureStorage")]
public sealed class AzureStorageHostTests
{
    private const string DeclinedOrder = "Create a contact for Ada Lovelace ada@example.com and charge 42 EUR with card 4000000000000002";

    [Fact]
    public async Task Session_OnAzureStorage_RollsBackAndAnotherHostOnTheHubStreamsIt()
    {
        var settings = new Dictionary<string, string?>
        {
            ["extensions:durableTask:storageProvider:type"] = "AzureStorage",
            ["extensions:durableTask:hubName"] = "h" + Guid.NewGuid().ToString("N")[..16],
            ["extensions:durableTask:storageProvider:partitionCount"] = "2",
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
        };
        await using var host = await HostFixture.StartAsync(settings);
        using var client = host.Client(HostFixture.ClientA);

        using var created = await client.PostAsJsonAsync("/v1/sessions", new { message = DeclinedOrder });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
        var events = await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed");

        Assert.Equal(2, events.Count(e => e.Kind == "compensation.completed"));
        Assert.Contains("I rolled back", events[^1].Data, StringComparison.Ordinal);
        Assert.Equal(events.Select(e => e.Id).Order(), events.Select(e => e.Id));
        var status = await client.GetFromJsonAsync<JsonElement>($"/v1/sessions/{id}");
        Assert.Equal(1, status.GetProperty("turn").GetInt32());
        Assert.False(status.GetProperty("needsAttention").GetBoolean());

        // A second host on the same task hub (another process would do the same) reads the same log and history.
        await using var other = await HostFixture.StartAsync(settings);
        using var otherClient = other.Client(HostFixture.ClientA);
        var replayed = await Sse.ReadAsync(otherClient, $"/v1/sessions/{id}/events?stopAfter=turn.completed");
        using var admin = other.Client(HostFixture.Admin);
        var history = await admin.GetStringAsync($"/admin/sessions/{id}/history");

        Assert.Equal(events.Select(e => (e.Id, e.Kind)), replayed.Select(e => (e.Id, e.Kind)));
        Assert.Contains("ExecutionStarted", history, StringComparison.Ordinal);

        // DurableTask.AzureStorage sets nothing aside: staff are told so rather than shown an empty list.
        var deadLetters = await admin.GetFromJsonAsync<JsonElement>("/admin/dead-letters");
        Assert.False(deadLetters.GetProperty("available").GetBoolean());
        Assert.Contains("AzureStorageOrchestrationService", deadLetters.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AzureStorageWithoutConnectionString_RefusesNamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => HostFixture.StartAsync(new Dictionary<string, string?>
        {
            ["extensions:durableTask:storageProvider:type"] = "AzureStorage",
            ["extensions:durableTask:storageProvider:connectionStringName"] = "NoSuchStorageSetting",
        }));

        Assert.Contains("NoSuchStorageSetting", error.Message, StringComparison.Ordinal);
    }
}
