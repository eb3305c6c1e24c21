using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentOrchestrator.Host.Tests;

/// <summary>What staff see of the messages the SQLite service set aside, and what a refused put-back says.</summary>
public sealed class DeadLetterTests
{
    [Fact]
    public async Task DeadLetters_OnSqlite_AreAvailableAndAnUnknownPutBackIsRefusedByName()
    {
        await using var host = await HostFixture.StartAsync();
        using var admin = host.Client(HostFixture.Admin);

        var page = await admin.GetFromJsonAsync<JsonElement>("/admin/dead-letters");
        using var putBack = await admin.PostAsync("/admin/dead-letters/4711/resubmit", JsonContent.Create(new { }));

        Assert.True(page.GetProperty("available").GetBoolean());
        Assert.Equal(0, page.GetProperty("deadLetters").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, putBack.StatusCode);
        Assert.Contains("4711", await putBack.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
