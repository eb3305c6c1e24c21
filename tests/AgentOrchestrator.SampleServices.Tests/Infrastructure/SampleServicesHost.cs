using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.SampleServices.Tests.Infrastructure;

/// <summary>The sample services on real Kestrel at 127.0.0.1 on a free port, with SQLite files in a temp folder.</summary>
internal sealed class SampleServicesHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;
    private readonly ServerErrorLog _errors;

    private SampleServicesHost(WebApplication app, string folder, Uri baseAddress, ServerErrorLog errors)
    {
        _app = app;
        _folder = folder;
        _errors = errors;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>The folder of the services' SQLite files (deleted on dispose).</summary>
    public string DataFolder => _folder;

    /// <summary>Every 5xx answer the services gave a caller that was still listening (<c>METHOD path status</c>).</summary>
    public IReadOnlyList<string> ServerErrors => _errors.Errors;

    /// <summary>Requests whose caller went away before the answer (a worker killed mid-request): not answers anyone saw.</summary>
    public int AbortedRequests => _errors.Aborted;

    public static async Task<SampleServicesHost> StartAsync(Action<SampleServicesOptions>? configure = null, TimeProvider? timeProvider = null) =>
        await StartAsync(configure, timeProvider, settings: null);

    /// <summary>Starts the services configured the way a host configures them: from the SampleServices section.</summary>
    public static Task<SampleServicesHost> StartFromConfigurationAsync(IDictionary<string, string?> settings) =>
        StartAsync(configure: null, timeProvider: null, settings);

    private static async Task<SampleServicesHost> StartAsync(Action<SampleServicesOptions>? configure, TimeProvider? timeProvider, IDictionary<string, string?>? settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ao-samples-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = folder });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        SampleServicesOptions? configured = null;
        if (settings is null)
        {
            builder.Services.AddSampleServices(options => configure?.Invoke(options));
        }
        else
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSampleServices(builder.Configuration.GetSection(SampleServicesOptions.SectionName));
        }

        builder.Services.PostConfigure<SampleServicesOptions>(options =>
        {
            options.Crm.DatabasePath = Path.Combine(folder, "crm.db");
            options.Billing.DatabasePath = Path.Combine(folder, "billing.db");
            configured = options;
        });
        var app = builder.Build();
        var errors = new ServerErrorLog();
        app.Use(errors.ObserveAsync);
        app.MapCrmService("/crm");
        app.MapBillingService("/billing");
        await app.StartAsync();
        var host = new SampleServicesHost(app, folder, new Uri(app.Urls.Single()), errors);

        // The test's own reads of the services' data carry the keys, when the services require them.
        if (configured?.Crm.ApiKey is { } crmKey)
        {
            host.Client.DefaultRequestHeaders.Add("X-Api-Key", crmKey);
        }

        if (configured?.Billing.ApiKey is { } billingKey)
        {
            host.Client.DefaultRequestHeaders.Authorization = new("Bearer", billingKey);
        }

        return host;
    }

    public Task<HttpResponseMessage> PostAsync(string path, string json, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Post, path, json, idempotencyKey);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await Client.SendAsync(request, cancellationToken);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Creates an open invoice and returns its id.</summary>
    public async Task<string> CreateInvoiceAsync(decimal amount = 120m)
    {
        using var response = await PostAsync("/billing/invoices",
            $$"""{ "contactId": "ct_test", "amount": {{amount.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "currency": "EUR", "description": "Annual plan" }""");
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>The payments the billing service itself recorded for an invoice.</summary>
    public async Task<JsonElement[]> PaymentsAsync(string invoiceId) =>
        [.. (await GetJsonAsync($"/billing/payments?invoiceId={invoiceId}")).GetProperty("items").EnumerateArray()];

    /// <summary>Counts the rows of <paramref name="table"/> in the SQLite file of <paramref name="service"/>
    /// (<c>crm</c> or <c>billing</c>): the service's own record, read past its HTTP API.</summary>
    public async Task<long> CountRowsAsync(string service, string table)
    {
        var path = Path.Combine(_folder, service + ".db");
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Reads rows of the SQLite file of <paramref name="service"/> (<c>crm</c> or <c>billing</c>) past its HTTP API:
    /// the service's own record of what was done. Each row is its column values in order.</summary>
    public async Task<IReadOnlyList<object?[]>> QueryAsync(string service, string sql)
    {
        var path = Path.Combine(_folder, service + ".db");
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
