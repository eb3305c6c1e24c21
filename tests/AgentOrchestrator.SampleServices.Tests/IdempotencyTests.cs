using System.Net.Http.Json;
using System.Text.Json;
using AgentOrchestrator.SampleServices.Billing;
using AgentOrchestrator.SampleServices.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrchestrator.SampleServices.Tests;

public sealed class IdempotencyTests
{
    private const string Ada = """{ "name": "Ada Lovelace", "email": "ada@example.com" }""";

    [Fact]
    public async Task CreateContact_SameKeyTwice_CreatesOneContactAndReplaysTheFirstResponse()
    {
        await using var host = await SampleServicesHost.StartAsync();

        using var first = await host.PostAsync("/crm/contacts", Ada, "key-1");
        using var second = await host.PostAsync("/crm/contacts", """{"email":"ada@example.com",  "name":"Ada Lovelace"}""", "key-1");

        Assert.Equal(201, (int)first.StatusCode);
        Assert.Equal(201, (int)second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Single((await host.GetJsonAsync("/crm/contacts?email=ada@example.com")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task CreateContact_SameKeyWithOtherParameters_Returns422AndCreatesNothing()
    {
        await using var host = await SampleServicesHost.StartAsync();
        using var first = await host.PostAsync("/crm/contacts", Ada, "key-1");

        using var reused = await host.PostAsync("/crm/contacts", """{ "name": "Grace Hopper", "email": "grace@example.com" }""", "key-1");

        Assert.Equal(422, (int)reused.StatusCode);
        Assert.Equal("idempotency_key_reused", (await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.Empty((await host.GetJsonAsync("/crm/contacts?email=grace@example.com")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task ChargePayment_SameKeyWhileFirstStillRunning_Returns409ThenChargesOnce()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2025-06-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var host = await SampleServicesHost.StartAsync(
            o => o.Billing.Faults.Add(new FaultRule { Operation = "charge_payment", Latency = TimeSpan.FromSeconds(5) }), clock);
        var invoice = await host.CreateInvoiceAsync(120m);
        var charge = $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 120 }""";

        var slow = host.PostAsync("/billing/payments", charge, "charge-1");
        await host.WaitForKeyStateAsync("billing", "charge-1", "in_progress");
        using var concurrent = await host.PostAsync("/billing/payments", charge, "charge-1");
        clock.Advance(TimeSpan.FromSeconds(5));
        using var first = await slow;
        using var afterwards = await host.PostAsync("/billing/payments", charge, "charge-1");

        Assert.Equal(409, (int)concurrent.StatusCode);
        Assert.Equal(201, (int)first.StatusCode);
        Assert.Equal(201, (int)afterwards.StatusCode);
        Assert.Single(await host.PaymentsAsync(invoice));
    }

    [Fact]
    public async Task ChargePayment_ResponseLostAfterCommit_RetryWithSameKeyGetsTheChargeWithoutChargingAgain()
    {
        await using var host = await SampleServicesHost.StartAsync(o =>
        {
            var lost = new FaultRule { Operation = "charge_payment", Mode = FaultMode.AfterCommit, StatusCode = 500 };
            lost.FailOnCalls.Add(1);
            o.Billing.Faults.Add(lost);
        });
        var invoice = await host.CreateInvoiceAsync(50m);
        var charge = $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 50 }""";

        using var lostResponse = await host.PostAsync("/billing/payments", charge, "charge-1");
        using var retry = await host.PostAsync("/billing/payments", charge, "charge-1");

        Assert.Equal(500, (int)lostResponse.StatusCode);
        Assert.Equal(201, (int)retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        var payment = Assert.Single(await host.PaymentsAsync(invoice));
        Assert.Equal("succeeded", payment.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ChargePayment_FailureBeforeExecution_ReleasesTheKeySoTheRetryCharges()
    {
        await using var host = await SampleServicesHost.StartAsync(o =>
        {
            var outage = new FaultRule { Operation = "charge_payment" };
            outage.FailOnCalls.Add(1);
            o.Billing.Faults.Add(outage);
        });
        var invoice = await host.CreateInvoiceAsync(50m);
        var charge = $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 50 }""";

        using var outage = await host.PostAsync("/billing/payments", charge, "charge-1");
        Assert.Empty(await host.PaymentsAsync(invoice));
        using var retry = await host.PostAsync("/billing/payments", charge, "charge-1");

        Assert.Equal(503, (int)outage.StatusCode);
        Assert.Equal(201, (int)retry.StatusCode);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Single(await host.PaymentsAsync(invoice));
    }

    [Fact]
    public async Task CreateContact_RetryWithoutKey_IsANewRequestAndHitsTheDuplicateCheck()
    {
        await using var host = await SampleServicesHost.StartAsync();

        using var first = await host.PostAsync("/crm/contacts", Ada);
        using var second = await host.PostAsync("/crm/contacts", Ada);

        Assert.Equal(201, (int)first.StatusCode);
        Assert.Equal(400, (int)second.StatusCode);
        Assert.Equal("contact_exists", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
    }
}
