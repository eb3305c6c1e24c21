using System.Net.Http.Json;
using System.Text.Json;
using AgentOrchestrator.SampleServices.Billing;
using AgentOrchestrator.SampleServices.Tests.Infrastructure;
using AgentOrchestrator.Testing;

namespace AgentOrchestrator.SampleServices.Tests;

public sealed class IdempotencyTests
{
    private const string Ada = """{ "name": "Ada Lovelace", "email": "ada@example.com" }""";
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

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
        var clock = new ObservedTimeProvider(Start);
        await using var host = await SampleServicesHost.StartAsync(
            o => o.Billing.Faults.Add(new FaultRule { Operation = "charge_payment", Latency = TimeSpan.FromSeconds(5) }), clock);
        var invoice = await host.CreateInvoiceAsync(120m);
        var charge = $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 120 }""";

        var slow = host.PostAsync("/billing/payments", charge, "charge-1");
        await CardCallUnderWayAsync(clock, TimeSpan.FromSeconds(5));
        using var concurrent = await host.PostAsync("/billing/payments", charge, "charge-1");
        clock.Fake.Advance(TimeSpan.FromSeconds(5));
        using var first = await slow.WaitAsync(Timeout);
        using var afterwards = await host.PostAsync("/billing/payments", charge, "charge-1");

        Assert.Equal(409, (int)concurrent.StatusCode);
        Assert.Equal(201, (int)first.StatusCode);
        Assert.Equal(201, (int)afterwards.StatusCode);
        Assert.Single(await host.PaymentsAsync(invoice));
    }

    [Fact]
    public async Task ChargePayment_SameKeyWhileTheCardCallRuns_Gets409WithTheRestOfTheLeaseAsRetryAfter()
    {
        var clock = new ObservedTimeProvider(Start);
        await using var host = await SampleServicesHost.StartAsync(
            o => o.Billing.Faults.Add(new FaultRule { Operation = "charge_payment", Latency = TimeSpan.FromSeconds(30) }), clock);
        var invoice = await host.CreateInvoiceAsync(20m);
        var charge = $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 20 }""";

        var slow = host.PostAsync("/billing/payments", charge, "charge-1");
        await CardCallUnderWayAsync(clock, TimeSpan.FromSeconds(30));
        clock.Fake.Advance(TimeSpan.FromSeconds(15));
        using var concurrent = await host.PostAsync("/billing/payments", charge, "charge-1");
        clock.Fake.Advance(TimeSpan.FromSeconds(15));
        using var first = await slow.WaitAsync(Timeout);

        Assert.Equal((409, TimeSpan.FromSeconds(45)), ((int)concurrent.StatusCode, concurrent.Headers.RetryAfter?.Delta));
        Assert.Equal(201, (int)first.StatusCode);
    }

    [Fact]
    public async Task ChargePayment_CardCallOutlastingTheLease_GivesUpWithoutChargingAndFreesTheKey()
    {
        var clock = new ObservedTimeProvider(Start);
        await using var host = await SampleServicesHost.StartAsync(o =>
        {
            o.Billing.IdempotencyLease = TimeSpan.FromSeconds(10);
            o.Billing.Faults.Add(new FaultRule { Operation = "charge_payment", Latency = TimeSpan.FromHours(1) });
        }, clock);
        var invoice = await host.CreateInvoiceAsync(20m);

        var slow = host.PostAsync("/billing/payments", $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 20 }""", "charge-1");
        await CardCallUnderWayAsync(clock, TimeSpan.FromHours(1));
        clock.Fake.Advance(TimeSpan.FromSeconds(10));
        using var gaveUp = await slow.WaitAsync(Timeout);
        using var state = await host.Client.GetAsync("/billing/idempotency-keys/charge-1");

        Assert.Equal(503, (int)gaveUp.StatusCode);
        Assert.Equal("call_out_timed_out", (await gaveUp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(404, (int)state.StatusCode);
        Assert.Empty(await host.PaymentsAsync(invoice));
    }

    [Fact]
    public async Task CreateContact_EightSimultaneousRequestsWithOneKey_AllGetTheOneContactAndNoneIsToldToWait()
    {
        await using var host = await SampleServicesHost.StartAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.PostAsync("/crm/contacts", Ada, "create-race")))
            .WaitAsync(TimeSpan.FromSeconds(30));

        // A local operation takes its key and makes its change in one transaction: the others wait for it and replay it.
        Assert.All(responses, r => Assert.Equal(201, (int)r.StatusCode));
        Assert.Single(responses, r => !r.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await host.CountRowsAsync("crm", "contacts"));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task StartAsync_IdempotencyLeaseOfZero_StopsTheServicesWithTheSetting()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => SampleServicesHost.StartAsync(o => o.Billing.IdempotencyLease = TimeSpan.Zero));

        Assert.Contains("SampleServices:<Crm|Billing>:IdempotencyLease must be more than 0 and at most 1 hour", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChargePayment_EightConcurrentRequestsWithOneKeyWhileTheFirstRuns_SevenGet409AndOneCharges()
    {
        var clock = new ObservedTimeProvider(Start);
        await using var host = await SampleServicesHost.StartAsync(
            o => o.Billing.Faults.Add(new FaultRule { Operation = "charge_payment", Latency = TimeSpan.FromSeconds(5) }), clock);
        var invoice = await host.CreateInvoiceAsync(90m);
        var charge = $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 90 }""";

        // All eight race for the key; the winner then waits on the fake clock, so every loser must see it in progress.
        var requests = Enumerable.Range(0, 8).Select(_ => host.PostAsync("/billing/payments", charge, "charge-race")).ToList();
        var losers = new List<HttpResponseMessage>();
        while (losers.Count < 7)
        {
            var done = await Task.WhenAny(requests).WaitAsync(Timeout);
            requests.Remove(done);
            losers.Add(await done);
        }

        await CardCallUnderWayAsync(clock, TimeSpan.FromSeconds(5));
        clock.Fake.Advance(TimeSpan.FromSeconds(5));
        using var winner = await Assert.Single(requests).WaitAsync(Timeout);

        Assert.All(losers, r => Assert.Equal(409, (int)r.StatusCode));
        Assert.Equal(201, (int)winner.StatusCode);
        Assert.Equal(1, await host.CountRowsAsync("billing", "payments"));
        losers.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task ChargePayment_EightSimultaneousRequestsWithOneKey_ChargeOnceAndNeverFail()
    {
        await using var host = await SampleServicesHost.StartAsync();
        var invoice = await host.CreateInvoiceAsync(40m);
        var charge = $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 40 }""";

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.PostAsync("/billing/payments", charge, "charge-race")))
            .WaitAsync(TimeSpan.FromSeconds(30));

        // Each request either made the charge, replayed it, or was told the key is busy: never a 500, never a second charge.
        var original = Assert.Single(responses, r => (int)r.StatusCode == 201 && !r.Headers.Contains("Idempotent-Replayed"));
        Assert.All(responses, r => Assert.True(
            (int)r.StatusCode == 409 || ((int)r.StatusCode == 201 && (r == original || r.Headers.Contains("Idempotent-Replayed"))),
            $"unexpected {(int)r.StatusCode}"));
        var payments = await host.PaymentsAsync(invoice);
        Assert.Equal(1, await host.CountRowsAsync("billing", "payments"));
        Assert.Equal((await original.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString(), Assert.Single(payments).GetProperty("id").GetString());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task ChargePayment_SameKeyWithOtherAmount_Returns422AndLeavesTheFirstChargeAlone()
    {
        await using var host = await SampleServicesHost.StartAsync();
        var invoice = await host.CreateInvoiceAsync(100m);
        using var first = await host.PostAsync("/billing/payments", $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 40 }""", "charge-1");

        using var reused = await host.PostAsync("/billing/payments", $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 60 }""", "charge-1");

        Assert.Equal(201, (int)first.StatusCode);
        Assert.Equal(422, (int)reused.StatusCode);
        Assert.Equal("idempotency_key_reused", (await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(40m, Assert.Single(await host.PaymentsAsync(invoice)).GetProperty("amount").GetDecimal());
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

    /// <summary>Waits until the charging request holds its key and waits on the card network (its injected latency's
    /// timer is set): moving the clock before that would not count for the call, which would then never end.</summary>
    private static Task CardCallUnderWayAsync(ObservedTimeProvider clock, TimeSpan latency) =>
        clock.WaitForTimerAsync(due => due == latency, Timeout);
}
