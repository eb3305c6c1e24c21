using System.Text.Json;
using AgentOrchestrator.SampleServices.Billing;
using AgentOrchestrator.Tools.Tests.Infrastructure;

namespace AgentOrchestrator.Tools.Tests.Sagas;

/// <summary>A chain rolled back the way the agent layer will do it: plan each compensation when its step
/// completes, then run them newest first with the compensation key.</summary>
public sealed class CompensationEndToEndTests
{
    [Fact]
    public async Task CompensateChain_InvoiceThenCharge_RefundsThePaymentAndVoidsTheInvoice()
    {
        await using var harness = await ToolsHarness.StartAsync();
        var catalog = harness.Registry.Current;
        var chain = new Stack<AgentOrchestrator.Tools.Sagas.CompensationCall>();

        var invoiceArgs = """{ "contactId": "ct_ada", "amount": 80, "currency": "EUR", "description": "Annual plan" }""";
        var invoice = await harness.InvokeAsync("billing_create_invoice", invoiceArgs, "s1:t1:c1");
        chain.Push(Plan(harness, catalog, "billing_create_invoice", invoiceArgs, invoice.Result));
        var invoiceId = invoice.Result.GetProperty("id").GetString();
        var chargeArgs = $$"""{ "invoiceId": "{{invoiceId}}", "cardNumber": "{{TestCards.Success}}", "amount": 80 }""";
        var charge = await harness.InvokeAsync("billing_charge_payment", chargeArgs, "s1:t1:c2");
        chain.Push(Plan(harness, catalog, "billing_charge_payment", chargeArgs, charge.Result));

        var step = 2;
        while (chain.TryPop(out var compensation))
        {
            var undo = await harness.Invoker.InvokeAsync(catalog.Get(compensation.ToolName), compensation.Arguments, $"s1:t1:c{step--}:compensate", CancellationToken.None);
            Assert.True(undo.IsSuccess, $"{compensation.ToolName}: {undo}");
        }

        var state = await harness.Services.GetJsonAsync($"/billing/invoices/{invoiceId}");
        Assert.Equal(("void", 80m), (state.GetProperty("status").GetString(), state.GetProperty("amountRefunded").GetDecimal()));
        Assert.Equal(80m, Assert.Single(await harness.Services.PaymentsAsync(invoiceId!)).GetProperty("amountRefunded").GetDecimal());
    }

    [Fact]
    public async Task Compensation_RepeatedWithItsKey_RefundsOnlyOnce()
    {
        await using var harness = await ToolsHarness.StartAsync();
        var catalog = harness.Registry.Current;
        var invoice = await harness.InvokeAsync("billing_create_invoice", """{ "contactId": "ct_ada", "amount": 30, "currency": "EUR", "description": "Plan" }""", "s2:t1:c1");
        var invoiceId = invoice.Result.GetProperty("id").GetString();
        var chargeArgs = $$"""{ "invoiceId": "{{invoiceId}}", "cardNumber": "{{TestCards.Success}}", "amount": 30 }""";
        var charge = await harness.InvokeAsync("billing_charge_payment", chargeArgs, "s2:t1:c2");
        var refund = Plan(harness, catalog, "billing_charge_payment", chargeArgs, charge.Result);

        var first = await harness.Invoker.InvokeAsync(catalog.Get(refund.ToolName), refund.Arguments, "s2:t1:c2:compensate", CancellationToken.None);
        var afterCrash = await harness.Invoker.InvokeAsync(catalog.Get(refund.ToolName), refund.Arguments, "s2:t1:c2:compensate", CancellationToken.None);

        Assert.True(first.IsSuccess && afterCrash.IsSuccess);
        Assert.True(afterCrash.WasReplayed);
        Assert.Equal(30m, Assert.Single(await harness.Services.PaymentsAsync(invoiceId!)).GetProperty("amountRefunded").GetDecimal());
    }

    private static AgentOrchestrator.Tools.Sagas.CompensationCall Plan(ToolsHarness harness, ToolCatalog catalog, string tool, string arguments, JsonElement result)
    {
        using var args = JsonDocument.Parse(arguments);
        var plan = harness.Planner.Plan(catalog, catalog.Get(tool), args.RootElement, result);
        Assert.False(plan.Failed, string.Join("; ", plan.Errors));
        return plan.Call!;
    }
}
