using System.Text.Json;
using AgentOrchestrator.Tools.Schemas;
using AgentOrchestrator.Tools.Tests.Infrastructure;

namespace AgentOrchestrator.Tools.Tests.Schemas;

public sealed class ToolArgumentValidatorTests
{
    private readonly ToolCatalog _catalog = TestTools.SampleRegistry().Current;
    private readonly ToolArgumentValidator _validator = new();

    private ToolArgumentValidationResult Validate(string tool, string json)
    {
        using var document = JsonDocument.Parse(json);
        return _validator.Validate(_catalog.Get(tool), document.RootElement);
    }

    [Fact]
    public void Validate_ValidArguments_HasNoErrors()
    {
        var result = Validate("billing_charge_payment", """{ "invoiceId": "in_abc123", "cardNumber": "4242424242424242", "amount": 49.9 }""");

        Assert.True(result.IsValid);
    }

    [Fact]
    public void Validate_StrictModeNullsForOptionalProperties_AreAcceptedAndRemoved()
    {
        var result = Validate("crm_create_contact", """{ "name": "Ada Lovelace", "email": "ada@example.com", "company": null, "phone": null }""");

        Assert.True(result.IsValid, result.Describe());
        Assert.Equal("""{"name":"Ada Lovelace","email":"ada@example.com"}""", result.Arguments.GetRawText());
    }

    [Fact]
    public void Validate_SeveralMistakes_ReturnsOneActionableErrorPerMistake()
    {
        var result = Validate("billing_charge_payment", """{ "invoiceId": "inv-1", "amount": 0, "currency": "EUR" }""");

        Assert.Equal(
            [
                "$.amount: must be greater than 0 (got 0)",
                "$.cardNumber: is required",
                "$.currency: is not an allowed property (allowed: invoiceId, cardNumber, amount)",
                "$.invoiceId: must match the pattern ^in_[a-z0-9]+$ (got \"inv-1\")",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_BadEmailAndEnum_SaysWhatIsExpected()
    {
        var billing = Validate("billing_create_invoice", """{ "contactId": "ct_1", "amount": 10, "currency": "YEN", "description": "x" }""");
        var crm = Validate("crm_create_contact", """{ "name": "Ada", "email": "not-an-email" }""");

        Assert.Equal("$.currency: must be one of \"EUR\", \"USD\", \"GBP\" (got \"YEN\")", Assert.Single(billing.Errors).ToString());
        Assert.Equal("$.email: must be an email address (got \"not-an-email\")", Assert.Single(crm.Errors).ToString());
    }

    [Fact]
    public void Validate_ArgumentsNotAnObject_SaysSo()
    {
        var result = Validate("crm_get_contact", "[1, 2]");

        Assert.Equal("$: must be a JSON object of arguments (got an array)", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void ValidateResult_ResultMissingRequiredField_IsReported()
    {
        using var result = JsonDocument.Parse("""{ "id": "py_1", "invoiceId": "in_1", "amount": 5, "status": "pending" }""");

        var errors = _validator.ValidateResult(_catalog.Get("billing_charge_payment"), result.RootElement);

        Assert.Equal("$.status: must be one of \"succeeded\" (got \"pending\")", Assert.Single(errors).ToString());
    }
}
