using System.Text.Json;
using AgentOrchestrator.Tools.Sagas;
using AgentOrchestrator.Tools.Schemas;
using AgentOrchestrator.Tools.Tests.Infrastructure;

namespace AgentOrchestrator.Tools.Tests.Sagas;

public sealed class CompensationPlannerTests
{
    private readonly ToolCatalog _catalog = TestTools.SampleRegistry().Current;
    private readonly CompensationPlanner _planner = new(new ToolArgumentValidator());

    private CompensationPlan Plan(string tool, string arguments, string result)
    {
        using var args = JsonDocument.Parse(arguments);
        using var res = JsonDocument.Parse(result);
        return _planner.Plan(_catalog, _catalog.Get(tool), args.RootElement, res.RootElement);
    }

    [Fact]
    public void Plan_ChargePayment_RefundsThePaymentForTheChargedAmount()
    {
        var plan = Plan("billing_charge_payment",
            """{ "invoiceId": "in_1", "cardNumber": "4242424242424242", "amount": 120 }""",
            """{ "id": "py_abc", "invoiceId": "in_1", "amount": 120, "status": "succeeded" }""");

        var call = plan.Call!;
        Assert.Equal(("billing_refund_payment", "1.0.0", CompensationFailurePolicy.Park), (call.ToolName, call.ToolVersion, call.OnFailure));
        Assert.Equal("""{"paymentId":"py_abc","amount":120,"reason":"compensation"}""", call.Arguments.GetRawText());
    }

    [Fact]
    public void Plan_AddNote_RemovesTheNoteFromArgumentsAndResultAndContinuesOnFailure()
    {
        var plan = Plan("crm_add_note", """{ "contactId": "ct_ada", "text": "Wants the annual plan." }""", """{ "id": "nt_9", "contactId": "ct_ada" }""");

        Assert.Equal("""{"contactId":"ct_ada","noteId":"nt_9"}""", plan.Call!.Arguments.GetRawText());
        Assert.Equal(CompensationFailurePolicy.Continue, plan.Call.OnFailure);
    }

    [Fact]
    public void Plan_ResultWithoutTheMappedId_FailsLoudlyInsteadOfLosingTheUndo()
    {
        var plan = Plan("crm_create_contact", """{ "name": "Ada", "email": "ada@example.com" }""", """{ "name": "Ada", "email": "ada@example.com" }""");

        Assert.True(plan.Failed);
        Assert.Null(plan.Call);
        Assert.Equal(["crm_delete_contact $.contactId: is required", "$.result.id names nothing in the call's arguments and result"], plan.Errors);
    }

    [Theory]
    [InlineData("billing_send_receipt")]
    [InlineData("billing_get_invoice")]
    [InlineData("billing_refund_payment")]
    public void Plan_PivotReadOnlyOrRetriableTool_NeedsNoCompensation(string tool)
    {
        var plan = Plan(tool, "{}", "{}");

        Assert.False(plan.HasCompensation);
        Assert.False(plan.Failed);
    }
}
