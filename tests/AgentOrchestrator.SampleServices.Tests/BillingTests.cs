using System.Net.Http.Json;
using System.Text.Json;
using AgentOrchestrator.SampleServices.Billing;
using AgentOrchestrator.SampleServices.Tests.Infrastructure;

namespace AgentOrchestrator.SampleServices.Tests;

public sealed class BillingTests
{
    private static string Charge(string invoice, string card, decimal amount) =>
        $$"""{ "invoiceId": "{{invoice}}", "cardNumber": "{{card}}", "amount": {{amount.ToString(System.Globalization.CultureInfo.InvariantCulture)}} }""";

    private static async Task<string> ErrorCode(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString()!;

    private static async Task<string> Id(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

    [Fact]
    public async Task ChargePayment_DeclinedTestCard_Returns402RecordsTheAttemptAndLeavesInvoiceOpen()
    {
        await using var host = await SampleServicesHost.StartAsync();
        var invoice = await host.CreateInvoiceAsync(80m);

        using var response = await host.PostAsync("/billing/payments", Charge(invoice, TestCards.Declined, 80m), "k1");

        Assert.Equal(402, (int)response.StatusCode);
        Assert.Equal("card_declined", await ErrorCode(response));
        var payment = Assert.Single(await host.PaymentsAsync(invoice));
        Assert.Equal(("failed", "0002"), (payment.GetProperty("status").GetString(), payment.GetProperty("cardLast4").GetString()));
        Assert.Equal("open", (await host.GetJsonAsync($"/billing/invoices/{invoice}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ChargePayment_SuccessCardForFullAmount_MarksInvoicePaid()
    {
        await using var host = await SampleServicesHost.StartAsync();
        var invoice = await host.CreateInvoiceAsync(80.5m);

        using var response = await host.PostAsync("/billing/payments", Charge(invoice, TestCards.Success, 80.5m), "k1");

        Assert.Equal(201, (int)response.StatusCode);
        var state = await host.GetJsonAsync($"/billing/invoices/{invoice}");
        Assert.Equal(("paid", 80.5m), (state.GetProperty("status").GetString(), state.GetProperty("amountPaid").GetDecimal()));
    }

    [Fact]
    public async Task ChargePayment_NumberFailingLuhn_IsRefusedWithoutRecordingAPayment()
    {
        await using var host = await SampleServicesHost.StartAsync();
        var invoice = await host.CreateInvoiceAsync();

        using var response = await host.PostAsync("/billing/payments", Charge(invoice, "4242424242424241", 10m), "k1");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("invalid_card_number", await ErrorCode(response));
        Assert.Empty(await host.PaymentsAsync(invoice));
    }

    [Fact]
    public async Task VoidInvoice_PaidInvoice_IsRefusedUntilThePaymentIsRefunded()
    {
        await using var host = await SampleServicesHost.StartAsync();
        var invoice = await host.CreateInvoiceAsync(40m);
        using var charge = await host.PostAsync("/billing/payments", Charge(invoice, TestCards.Success, 40m), "charge");
        var payment = await Id(charge);

        using var refused = await host.PostAsync($"/billing/invoices/{invoice}/void", "{}", "void-1");
        using var refund = await host.PostAsync($"/billing/payments/{payment}/refunds", """{ "amount": 40, "reason": "compensation" }""", "refund");
        using var voided = await host.PostAsync($"/billing/invoices/{invoice}/void", "{}", "void-2");

        Assert.Equal((400, "invoice_has_payments"), ((int)refused.StatusCode, await ErrorCode(refused)));
        Assert.Equal(201, (int)refund.StatusCode);
        Assert.Equal(200, (int)voided.StatusCode);
        Assert.Equal("void", (await host.GetJsonAsync($"/billing/invoices/{invoice}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task VoidInvoice_Twice_SecondIsANoOpSoACompensationCanRepeat()
    {
        await using var host = await SampleServicesHost.StartAsync();
        var invoice = await host.CreateInvoiceAsync();

        using var first = await host.PostAsync($"/billing/invoices/{invoice}/void", "{}", "void-1");
        using var second = await host.PostAsync($"/billing/invoices/{invoice}/void", "{}", "void-2");

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(200, (int)second.StatusCode);
        Assert.Equal("void", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task RefundPayment_Twice_RefundsOnceAndRefusesTheSecondClearly()
    {
        await using var host = await SampleServicesHost.StartAsync();
        var invoice = await host.CreateInvoiceAsync(30m);
        using var charge = await host.PostAsync("/billing/payments", Charge(invoice, TestCards.Success, 30m), "charge");
        var payment = await Id(charge);

        using var first = await host.PostAsync($"/billing/payments/{payment}/refunds", """{ "amount": 30 }""", "refund-1");
        using var repeat = await host.PostAsync($"/billing/payments/{payment}/refunds", """{ "amount": 30 }""", "refund-1");
        using var second = await host.PostAsync($"/billing/payments/{payment}/refunds", """{ "amount": 30 }""", "refund-2");

        Assert.Equal(201, (int)first.StatusCode);
        Assert.Equal(201, (int)repeat.StatusCode);
        Assert.Equal((400, "charge_already_refunded"), ((int)second.StatusCode, await ErrorCode(second)));
        Assert.Equal(30m, (await host.GetJsonAsync($"/billing/payments/{payment}")).GetProperty("amountRefunded").GetDecimal());
    }

    [Fact]
    public async Task SendReceipt_PaidInvoice_QueuesOneEmailInTheOutbox()
    {
        await using var host = await SampleServicesHost.StartAsync();
        var invoice = await host.CreateInvoiceAsync(20m);
        using var charge = await host.PostAsync("/billing/payments", Charge(invoice, TestCards.Success, 20m), "charge");

        using var receipt = await host.PostAsync($"/billing/invoices/{invoice}/receipt", """{ "email": "ada@example.com" }""", "receipt-1");
        using var repeat = await host.PostAsync($"/billing/invoices/{invoice}/receipt", """{ "email": "ada@example.com" }""", "receipt-1");

        Assert.Equal(202, (int)receipt.StatusCode);
        Assert.Equal(202, (int)repeat.StatusCode);
        var email = Assert.Single((await host.GetJsonAsync($"/billing/emails?invoiceId={invoice}")).GetProperty("items").EnumerateArray());
        Assert.Equal(("ada@example.com", "queued"), (email.GetProperty("to").GetString(), email.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task SendReceipt_UnpaidInvoice_IsRefusedAndNothingIsQueued()
    {
        await using var host = await SampleServicesHost.StartAsync();
        var invoice = await host.CreateInvoiceAsync();

        using var receipt = await host.PostAsync($"/billing/invoices/{invoice}/receipt", """{ "email": "ada@example.com" }""", "receipt-1");

        Assert.Equal((400, "invoice_not_paid"), ((int)receipt.StatusCode, await ErrorCode(receipt)));
        Assert.Empty((await host.GetJsonAsync($"/billing/emails?invoiceId={invoice}")).GetProperty("items").EnumerateArray());
    }
}
