using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.SampleServices.Tests;

/// <summary>The sample services mounted into another ASP.NET Core app, the way the host mounts them for the demo.</summary>
public sealed class MountingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ao-mount-" + Guid.NewGuid().ToString("N"));

    public MountingTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task MapSampleServices_InAnotherApp_ServesBothUnderThePrefixBesideTheHostsOwnEndpoints()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = _folder });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSampleServices(o =>
        {
            o.Crm.DatabasePath = Path.Combine(_folder, "crm.db");
            o.Billing.DatabasePath = Path.Combine(_folder, "billing.db");
        });
        await using var app = builder.Build();
        app.MapGet("/health", () => "host is up");
        app.MapSampleServices("/samples");
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };

        using var contact = await PostAsync(client, "/samples/crm/contacts", """{ "name": "Ada Lovelace", "email": "ada@example.com" }""", "mount-1");
        using var invoice = await PostAsync(client, "/samples/billing/invoices", """{ "contactId": "ct_ada", "amount": 10, "currency": "EUR", "description": "Plan" }""", "mount-2");
        var found = await client.GetFromJsonAsync<JsonElement>("/samples/crm/contacts?email=ada@example.com");
        var health = await client.GetStringAsync("/health");
        using var unmounted = await client.GetAsync("/crm/contacts?email=ada@example.com");

        Assert.Equal((201, 201), ((int)contact.StatusCode, (int)invoice.StatusCode));
        Assert.Equal("Ada Lovelace", Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("host is up", health);
        Assert.Equal(404, (int)unmounted.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public void MapCrmService_WithoutAddSampleServices_SaysWhichCallIsMissing()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = _folder });
        builder.Logging.ClearProviders();
        var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapCrmService("/crm"));

        Assert.Contains("services.AddSampleServices(...)", error.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }
}
