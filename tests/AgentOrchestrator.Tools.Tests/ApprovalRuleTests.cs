using System.Text.Json;
using AgentOrchestrator.Tools.Tests.Infrastructure;

namespace AgentOrchestrator.Tools.Tests;

public sealed class ApprovalRuleTests
{
    private readonly ToolCatalog _catalog = TestTools.SampleRegistry().Current;

    private bool IsRequired(string tool, string arguments)
    {
        using var document = JsonDocument.Parse(arguments);
        return _catalog.Get(tool).Approval.IsRequired(document.RootElement);
    }

    [Theory]
    [InlineData("""{ "paymentId": "py_1", "amount": 100.01 }""", true)]
    [InlineData("""{ "paymentId": "py_1", "amount": 100 }""", false)]
    [InlineData("""{ "paymentId": "py_1", "amount": 20 }""", false)]
    [InlineData("""{ "paymentId": "py_1" }""", true)]
    [InlineData("""{ "paymentId": "py_1", "amount": "lots" }""", true)]
    public void IsRequired_RefundAbove100_AsksAPersonAndWhenInDoubtToo(string arguments, bool expected) =>
        Assert.Equal(expected, IsRequired("billing_refund_payment", arguments));

    [Fact]
    public void IsRequired_DeleteContact_AlwaysAsksAndGivesTheReason()
    {
        Assert.True(IsRequired("crm_delete_contact", """{ "contactId": "ct_1" }"""));
        Assert.Equal("Deleting a customer's contact cannot be undone.", _catalog.Get("crm_delete_contact").Approval.Reason);
    }

    [Fact]
    public void IsRequired_ToolWithoutApproval_NeverAsks()
    {
        Assert.False(IsRequired("billing_charge_payment", """{ "invoiceId": "in_1", "cardNumber": "4242424242424242", "amount": 5000 }"""));
        Assert.True(_catalog.Get("billing_charge_payment").Approval.IsNever);
    }

    [Fact]
    public void Approval_RefundRule_DescribesItself()
    {
        Assert.Equal("when $.amount GreaterThan 100", _catalog.Get("billing_refund_payment").Approval.ToString());
    }
}
