using System.Text.Json;
using AgentOrchestrator.SampleServices;
using AgentOrchestrator.SampleServices.Billing;
using AgentOrchestrator.Tools.Invocation;
using AgentOrchestrator.Tools.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Tools.Tests;

/// <summary>The shape of the demo host: one ASP.NET Core app that registers the tools layer, mounts the sample
/// services under /samples, and calls them through the sample manifests over loopback.</summary>
public sealed class DemoHostTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ao-demo-" + Guid.NewGuid().ToString("N"));

    public DemoHostTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ChargePayment_TwiceWithOneKeyInAHostThatMountsTheSamples_ChargesOnceInTheBillingDatabase()
    {
        // As host.json does: the host's address is fixed, and the manifests reach the embedded samples through
        // AgentTools:Services, whose origin is then the only one the tools may reach.
        var address = $"http://127.0.0.1:{FreePort()}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = _folder });
        builder.WebHost.UseUrls(address);
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentTools:ManifestsPath"] = string.Empty,
            ["AgentTools:Services:crm:BaseUrl"] = address + "/samples/crm",
            ["AgentTools:Services:billing:BaseUrl"] = address + "/samples/billing",
            ["SampleServices:Crm:DatabasePath"] = Path.Combine(_folder, "crm.db"),
            ["SampleServices:Crm:ApiKey"] = "demo-crm-key",
            ["SampleServices:Billing:DatabasePath"] = Path.Combine(_folder, "billing.db"),
            ["SampleServices:Billing:ApiKey"] = "demo-billing-key",
            ["CRM_API_KEY"] = "demo-crm-key",
            ["BILLING_API_KEY"] = "demo-billing-key",
        });
        builder.Services.AddAgentTools(builder.Configuration);
        builder.Services.AddSampleServices(builder.Configuration.GetSection(SampleServicesOptions.SectionName));
        await using var app = builder.Build();
        app.MapSampleServices("/samples");
        await app.StartAsync();

        var registry = app.Services.GetRequiredService<ToolRegistry>();
        var loaded = registry.Apply([
            new ManifestChange("crm.json", TestTools.Sample("crm.json")),
            new ManifestChange("billing.json", TestTools.Sample("billing.json")),
        ]);
        Assert.True(loaded.Succeeded, string.Join("; ", loaded.Errors));
        var invoker = app.Services.GetRequiredService<IToolInvoker>();
        var catalog = registry.Current;

        var invoice = await InvokeAsync(invoker, catalog.Get("billing_create_invoice"), """{ "contactId": "ct_ada", "amount": 25, "currency": "EUR", "description": "Plan" }""", "demo:t1:c1");
        var charge = $$"""{ "invoiceId": "{{invoice.Result.GetProperty("id").GetString()}}", "cardNumber": "{{TestCards.Success}}", "amount": 25 }""";
        var first = await InvokeAsync(invoker, catalog.Get("billing_charge_payment"), charge, "demo:t1:c2");
        var second = await InvokeAsync(invoker, catalog.Get("billing_charge_payment"), charge, "demo:t1:c2");

        Assert.Equal((ToolOutcome.Succeeded, ToolOutcome.Succeeded, ToolOutcome.Succeeded), (invoice.Outcome, first.Outcome, second.Outcome));
        Assert.True(second.WasReplayed);
        Assert.Equal(1, await CountPaymentsAsync());
        await app.StopAsync();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<ToolInvocationResult> InvokeAsync(IToolInvoker invoker, ToolDefinition tool, string arguments, string key)
    {
        using var document = JsonDocument.Parse(arguments);
        return await invoker.InvokeAsync(tool, document.RootElement, key, CancellationToken.None);
    }

    private async Task<long> CountPaymentsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "billing.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM payments";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
