using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentOrchestrator.SampleServices.Billing;
using AgentOrchestrator.SampleServices.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.SampleServices.Tests;

/// <summary>A process killed in the middle of a request must not turn the caller's retry into a failure.</summary>
public sealed class CrashTests : IDisposable
{
    private const string Ada = """{ "name": "Ada Lovelace", "email": "ada@example.com" }""";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ao-samples-crash-" + Guid.NewGuid().ToString("N"));

    public CrashTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task CreateContact_ProcessKilledWhileTheRequestRuns_RetryWithTheSameKeyCreatesTheContactOnce()
    {
        await using (var first = await SampleServicesProcess.StartAsync(_folder, new Dictionary<string, string>
        {
            ["SampleServices__Crm__Faults__0__Operation"] = "create_contact",
            ["SampleServices__Crm__Faults__0__Latency"] = "01:00:00",
        }))
        {
            var lost = Post(first.Client, "/crm/contacts", Ada, "create-1");
            await first.WhenWritten("holding create_contact").WaitAsync(TimeSpan.FromSeconds(30));
            await first.KillAsync();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => lost);
        }

        await using var restarted = await SampleServicesProcess.StartAsync(_folder);
        using var retry = await Post(restarted.Client, "/crm/contacts", Ada, "create-1");
        using var again = await Post(restarted.Client, "/crm/contacts", Ada, "create-1");

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal((HttpStatusCode.Created, "true"), (again.StatusCode, again.Headers.GetValues("Idempotent-Replayed").Single()));
        var contacts = await restarted.Client.GetFromJsonAsync<JsonElement>("/crm/contacts?email=ada@example.com");
        Assert.Single(contacts.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task ChargePayment_ProcessKilledDuringTheCardCall_KeyIsFreeAgainWhenItsLeaseEndsAndTheRetryChargesOnce()
    {
        var lease = new Dictionary<string, string> { ["SampleServices__Billing__IdempotencyLease"] = "00:00:06" };
        string charge;
        await using (var first = await SampleServicesProcess.StartAsync(_folder, new Dictionary<string, string>(lease)
        {
            ["SampleServices__Billing__Faults__0__Operation"] = "charge_payment",
            ["SampleServices__Billing__Faults__0__Latency"] = "01:00:00",
        }))
        {
            using var invoice = await Post(first.Client, "/billing/invoices", """{ "contactId": "ct_1", "amount": 30, "currency": "EUR", "description": "Plan" }""", "invoice-1");
            var invoiceId = (await invoice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            charge = $$"""{ "invoiceId": "{{invoiceId}}", "cardNumber": "{{TestCards.Success}}", "amount": 30 }""";
            var lost = Post(first.Client, "/billing/payments", charge, "charge-1");
            await first.WhenWritten("holding charge_payment").WaitAsync(TimeSpan.FromSeconds(30));
            await first.KillAsync();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => lost);
        }

        await using var restarted = await SampleServicesProcess.StartAsync(_folder, lease);
        using var busy = await Post(restarted.Client, "/billing/payments", charge, "charge-1");
        var retryAfter = busy.Headers.RetryAfter?.Delta;
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.InRange(retryAfter ?? TimeSpan.MaxValue, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6));

        // Retry as a client does: after the wait the service asked for, until the claim of the killed process has ended.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        HttpResponseMessage charged;
        while ((charged = await Post(restarted.Client, "/billing/payments", charge, "charge-1")).StatusCode == HttpStatusCode.Conflict)
        {
            await Task.Delay(charged.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), deadline.Token);
            charged.Dispose();
        }

        using (charged)
        {
            Assert.Equal(HttpStatusCode.Created, charged.StatusCode);
        }

        var invoiceOfCharge = JsonDocument.Parse(charge).RootElement.GetProperty("invoiceId").GetString();
        var payments = await restarted.Client.GetFromJsonAsync<JsonElement>($"/billing/payments?invoiceId={invoiceOfCharge}");
        Assert.Single(payments.GetProperty("items").EnumerateArray());
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string path, string json, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }
}
