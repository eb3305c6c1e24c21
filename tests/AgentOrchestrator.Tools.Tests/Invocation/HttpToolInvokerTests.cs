using System.Text.Json;
using AgentOrchestrator.SampleServices;
using AgentOrchestrator.SampleServices.Billing;
using AgentOrchestrator.Testing;
using AgentOrchestrator.Tools.Invocation;
using AgentOrchestrator.Tools.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrchestrator.Tools.Tests.Invocation;

/// <summary>The HTTP invoker against the sample services on real Kestrel at 127.0.0.1.</summary>
public sealed class HttpToolInvokerTests
{
    private static async Task<string> CreateInvoiceAsync(ToolsHarness harness, decimal amount)
    {
        var created = await harness.InvokeAsync("billing_create_invoice",
            $$"""{ "contactId": "ct_ada", "amount": {{amount}}, "currency": "EUR", "description": "Annual plan" }""", "s1:t1:create-invoice");
        Assert.True(created.IsSuccess, created.ToString());
        return created.Result.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task InvokeAsync_ChargePaymentTwiceWithOneKey_ChargesOnceByTheBillingServicesOwnData()
    {
        await using var harness = await ToolsHarness.StartAsync();
        var invoice = await CreateInvoiceAsync(harness, 120);
        var charge = $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 120 }""";

        var first = await harness.InvokeAsync("billing_charge_payment", charge, "s1:t1:call-7");
        var second = await harness.InvokeAsync("billing_charge_payment", charge, "s1:t1:call-7");

        Assert.True(first.IsSuccess, first.ToString());
        Assert.True(second.IsSuccess, second.ToString());
        Assert.False(first.WasReplayed);
        Assert.True(second.WasReplayed);
        Assert.Equal((ToolOutcome.Succeeded, ToolOutcome.Succeeded), (first.Outcome, second.Outcome));
        Assert.Equal(first.Result.GetProperty("id").GetString(), second.Result.GetProperty("id").GetString());
        var payment = Assert.Single(await harness.Services.PaymentsAsync(invoice));
        Assert.Equal(120m, payment.GetProperty("amount").GetDecimal());
        Assert.Equal(1, await harness.Services.CountRowsAsync("billing", "payments"));
    }

    [Fact]
    public async Task InvokeAsync_EightConcurrentChargesWithOneKey_ChargeOnceAndTheRestAreReplaysOrInProgress()
    {
        await using var harness = await ToolsHarness.StartAsync();
        var invoice = await CreateInvoiceAsync(harness, 75);
        var charge = $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 75 }""";

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => harness.InvokeAsync("billing_charge_payment", charge, "s1:t1:race")))
            .WaitAsync(TimeSpan.FromSeconds(30));

        var original = Assert.Single(results, r => r.IsSuccess && !r.WasReplayed);
        Assert.All(results, r => Assert.True(
            r.IsSuccess || (r.Outcome == ToolOutcome.InProgress && r.ErrorCode == "idempotency_request_in_progress"), r.ToString()));
        Assert.All(results.Where(r => r.IsSuccess), r => Assert.Equal(original.Result.GetProperty("id").GetString(), r.Result.GetProperty("id").GetString()));
        Assert.Equal(1, await harness.Services.CountRowsAsync("billing", "payments"));
    }

    [Fact]
    public async Task InvokeAsync_ChargeWithOneKeyButAnotherAmount_FailsForGoodWith422AndKeepsTheFirstCharge()
    {
        await using var harness = await ToolsHarness.StartAsync();
        var invoice = await CreateInvoiceAsync(harness, 100);
        var first = await harness.InvokeAsync("billing_charge_payment", $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 30 }""", "s1:t1:c3");

        var reused = await harness.InvokeAsync("billing_charge_payment", $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 70 }""", "s1:t1:c3");

        Assert.True(first.IsSuccess, first.ToString());
        Assert.Equal(("idempotency_key_reused", 422, ToolOutcome.PermanentFailure), (reused.ErrorCode, reused.HttpStatus, reused.Outcome));
        Assert.Equal(30m, Assert.Single(await harness.Services.PaymentsAsync(invoice)).GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task InvokeAsync_CreateThenFindContact_FindsItThroughTheQueryTemplate()
    {
        await using var harness = await ToolsHarness.StartAsync();

        var created = await harness.InvokeAsync("crm_create_contact", """{ "name": "Ada Lovelace", "email": "ada@example.com", "company": null, "phone": null }""", "s1:t1:c1");
        var found = await harness.InvokeAsync("crm_find_contacts", """{ "email": "ada@example.com", "name": null }""", "s1:t1:c2");

        Assert.True(created.IsSuccess, created.ToString());
        Assert.Equal(201, created.HttpStatus);
        Assert.Equal(created.Result.GetProperty("id").GetString(), Assert.Single(found.Result.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task InvokeAsync_DeclinedCard_FailsForGoodWithTheServicesErrorCode()
    {
        await using var harness = await ToolsHarness.StartAsync();
        var invoice = await CreateInvoiceAsync(harness, 60);

        var result = await harness.InvokeAsync("billing_charge_payment",
            $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Declined}}", "amount": 60 }""", "s1:t1:c1");

        Assert.False(result.IsSuccess);
        Assert.Equal(("card_declined", 402, false), (result.ErrorCode, result.HttpStatus, result.IsRetryable));
        Assert.Equal(ToolOutcome.PermanentFailure, result.Outcome);
        Assert.Equal("The card was declined.", result.ErrorMessage);
    }

    [Fact]
    public async Task InvokeAsync_ServiceUnavailableOnce_IsRetryableAndTheRetryWithTheSameKeyCreatesOneContact()
    {
        await using var harness = await ToolsHarness.StartAsync(o =>
        {
            var outage = new FaultRule { Operation = "create_contact" };
            outage.FailOnCalls.Add(1);
            o.Crm.Faults.Add(outage);
        });
        var arguments = """{ "name": "Ada Lovelace", "email": "ada@example.com" }""";

        var first = await harness.InvokeAsync("crm_create_contact", arguments, "s1:t1:c1");
        var retry = await harness.InvokeAsync("crm_create_contact", arguments, "s1:t1:c1");

        Assert.Equal(("service_unavailable", 503, true), (first.ErrorCode, first.HttpStatus, first.IsRetryable));
        Assert.Equal(ToolOutcome.RetryableFailure, first.Outcome);
        Assert.True(retry.IsSuccess, retry.ToString());
        Assert.Single((await harness.Services.GetJsonAsync("/crm/contacts?email=ada@example.com")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task InvokeAsync_SameKeyWithOtherArguments_FailsForGoodAndChangesNothing()
    {
        await using var harness = await ToolsHarness.StartAsync();
        await harness.InvokeAsync("crm_create_contact", """{ "name": "Ada Lovelace", "email": "ada@example.com" }""", "s1:t1:c1");

        var reused = await harness.InvokeAsync("crm_create_contact", """{ "name": "Grace Hopper", "email": "grace@example.com" }""", "s1:t1:c1");

        Assert.Equal(("idempotency_key_reused", 422, false), (reused.ErrorCode, reused.HttpStatus, reused.IsRetryable));
        Assert.Empty((await harness.Services.GetJsonAsync("/crm/contacts?email=grace@example.com")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task InvokeAsync_SameKeyWhileFirstAttemptStillRuns_IsInProgressForTheRestOfTheLeaseAndTheFirstChargesOnce()
    {
        var clock = new ObservedTimeProvider();
        await using var harness = await ToolsHarness.StartAsync(
            o => o.Billing.Faults.Add(new FaultRule { Operation = "charge_payment", Latency = TimeSpan.FromSeconds(5) }), serviceClock: clock);
        var invoice = await CreateInvoiceAsync(harness, 70);
        var charge = $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{TestCards.Success}}", "amount": 70 }""";

        var slow = harness.InvokeAsync("billing_charge_payment", charge, "s1:t1:c9");
        await clock.WaitForTimerAsync(due => due == TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20)); // the card call is under way
        var concurrent = await harness.InvokeAsync("billing_charge_payment", charge, "s1:t1:c9");
        clock.Fake.Advance(TimeSpan.FromSeconds(5));
        var first = await slow.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(("idempotency_request_in_progress", 409, true), (concurrent.ErrorCode, concurrent.HttpStatus, concurrent.IsRetryable));
        Assert.Equal((ToolOutcome.InProgress, true, TimeSpan.FromMinutes(1)), (concurrent.Outcome, concurrent.IsInProgress, concurrent.RetryAfter));
        Assert.Equal(
            "idempotency_request_in_progress (409): A request with this idempotency key is still being processed; retry later. [in progress, retry after 60 s]",
            concurrent.ToString());
        Assert.True(first.IsSuccess, first.ToString());
        Assert.Single(await harness.Services.PaymentsAsync(invoice));
    }

    [Fact]
    public async Task InvokeAsync_ServiceNeverAnswers_TimesOutAsRetryable()
    {
        var frozen = new FakeTimeProvider();
        await using var harness = await ToolsHarness.StartAsync(
            o => o.Crm.Faults.Add(new FaultRule { Operation = "create_contact", Latency = TimeSpan.FromHours(1) }), serviceClock: frozen);
        var quick = harness.Registry.Register(
            TestTools.Sample("crm.json").ReplaceFirst("\"version\": \"1.0.0\",\n      \"title\": \"Create contact\"", "\"version\": \"1.0.1\",\n      \"title\": \"Create contact\"")
                .ReplaceFirst("\"nonRetryableErrors\": [\"contact_exists\"] },\n      \"timeout\": \"10s\"", "\"nonRetryableErrors\": [\"contact_exists\"] },\n      \"timeout\": \"300ms\""),
            "crm.json");
        Assert.True(quick.Succeeded, string.Join("; ", quick.Errors));

        var result = await harness.InvokeAsync("crm_create_contact", """{ "name": "Ada Lovelace", "email": "ada@example.com" }""", "s1:t1:c1");

        Assert.Equal((ToolErrorCodes.Timeout, true), (result.ErrorCode, result.IsRetryable));
    }

    [Fact]
    public async Task InvokeAsync_ArgumentsFailingTheSchema_FailBeforeAnyRequestWithThePath()
    {
        await using var harness = await ToolsHarness.StartAsync();

        var result = await harness.InvokeAsync("crm_get_contact", """{ "contactId": "../billing/invoices" }""", "s1:t1:c1");

        Assert.Equal((ToolErrorCodes.InvalidArguments, false, null), (result.ErrorCode, result.IsRetryable, result.HttpStatus));
        Assert.Equal("$.contactId: must match the pattern ^ct_[a-z0-9]+$ (got \"../billing/invoices\")", result.ErrorMessage);
    }

    [Fact]
    public async Task InvokeAsync_SecretNotConfigured_FailsWithoutReachingTheService()
    {
        await using var harness = await ToolsHarness.StartAsync(configureTools: settings => settings.Remove("CRM_API_KEY"));

        var result = await harness.InvokeAsync("crm_create_contact", """{ "name": "Ada Lovelace", "email": "ada@example.com" }""", "s1:t1:c1");

        Assert.Equal((ToolErrorCodes.SecretMissing, false), (result.ErrorCode, result.IsRetryable));
        Assert.Equal("the tool's secret CRM_API_KEY is not configured", result.ErrorMessage);
        Assert.Empty((await harness.Services.GetJsonAsync("/crm/contacts?email=ada@example.com")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task InvokeAsync_WrongSecretConfigured_FailsForGoodWith401()
    {
        await using var harness = await ToolsHarness.StartAsync(configureTools: settings => settings["CRM_API_KEY"] = "stale-key");

        var result = await harness.InvokeAsync("crm_find_contacts", """{ "email": "ada@example.com" }""", "s1:t1:c1");

        Assert.Equal(("unauthorized", 401, false), (result.ErrorCode, result.HttpStatus, result.IsRetryable));
    }

    [Theory]
    [InlineData("../../billing/invoices/in_x")]
    [InlineData("@attacker.example.net")]
    [InlineData("x?admin=true#")]
    [InlineData("//attacker.example.net/steal")]
    public async Task InvokeAsync_PathArgumentTryingToLeaveTheService_StaysInsideOneSegmentOfTheService(string contactId)
    {
        await using var harness = await ToolsHarness.StartAsync();
        var probe = harness.Registry.Register(ProbeManifest, "runtime:probe");
        Assert.True(probe.Succeeded, string.Join("; ", probe.Errors));

        var result = await harness.InvokeAsync("probe_get_contact", $$"""{ "contactId": {{JsonSerializer.Serialize(contactId)}} }""", "s1:t1:c1");

        Assert.Equal(("contact_not_found", 404), (result.ErrorCode, result.HttpStatus));
        // The CRM's /contacts/{contactId} route got the whole value as one segment (ASP.NET keeps %2F encoded).
        Assert.StartsWith("There is no contact ", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(contactId, Uri.UnescapeDataString(result.ErrorMessage!["There is no contact ".Length..^1]));
    }

    [Fact]
    public async Task InvokeAsync_DotDotAsWholeSegment_IsRefusedBeforeAnyRequest()
    {
        await using var harness = await ToolsHarness.StartAsync();
        Assert.True(harness.Registry.Register(ProbeManifest, "runtime:probe").Succeeded);

        var result = await harness.InvokeAsync("probe_get_contact", """{ "contactId": ".." }""", "s1:t1:c1");

        Assert.Equal(ToolErrorCodes.InvalidArguments, result.ErrorCode);
    }

    private const string ProbeManifest = """
        {
          "service": "crm",
          "http": { "baseUrl": "http://127.0.0.1:1/crm", "auth": { "scheme": "header", "header": "X-Api-Key", "secret": "CRM_API_KEY" } },
          "tools": [
            {
              "name": "probe_get_contact",
              "version": "1.0.0",
              "description": "Reads a contact by any id text.",
              "parameters": { "type": "object", "properties": { "contactId": { "type": "string" } }, "required": ["contactId"], "additionalProperties": false },
              "binding": { "http": { "method": "GET", "path": "/contacts/{contactId}" } },
              "effects": { "readOnly": true }
            }
          ]
        }
        """;
}
