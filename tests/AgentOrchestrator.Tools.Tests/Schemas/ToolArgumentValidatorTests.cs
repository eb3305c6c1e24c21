using System.Collections.Concurrent;
using System.Text.Json;
using AgentOrchestrator.Tools.Schemas;
using AgentOrchestrator.Tools.Tests.Infrastructure;

namespace AgentOrchestrator.Tools.Tests.Schemas;

public sealed class ToolArgumentValidatorTests
{
    // A tool whose arguments nest: objects in an array, a date-time, an integer.
    private const string Shop = """
        {
          "service": "shop",
          "http": { "baseUrl": "http://127.0.0.1:5090/shop" },
          "tools": [
            {
              "name": "shop_quote_order",
              "version": "1.0.0",
              "description": "Prices an order without placing it.",
              "parameters": {
                "type": "object",
                "properties": {
                  "deliverBy": { "type": "string", "format": "date-time" },
                  "note": { "type": "string" },
                  "lines": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                      "type": "object",
                      "properties": {
                        "sku": { "type": "string" },
                        "quantity": { "type": "integer", "minimum": 1 },
                        "gift": { "type": "boolean" }
                      },
                      "required": ["sku", "quantity"],
                      "additionalProperties": false
                    }
                  }
                },
                "required": ["lines"],
                "additionalProperties": false
              },
              "binding": { "http": { "method": "GET", "path": "/quotes" } },
              "effects": { "readOnly": true }
            }
          ]
        }
        """;

    // A tool whose arguments take one of two shapes, and a grid of numbers (an array of arrays).
    private const string Shapes = """
        {
          "service": "shapes",
          "http": { "baseUrl": "http://127.0.0.1:5090/shapes" },
          "tools": [
            {
              "name": "shapes_place",
              "version": "1.0.0",
              "description": "Places a shape on a grid.",
              "parameters": {
                "type": "object",
                "properties": {
                  "size": {
                    "anyOf": [
                      { "type": "integer", "minimum": 1 },
                      { "type": "string", "enum": ["small", "large"] },
                      { "type": "object", "properties": { "width": { "type": "integer" }, "height": { "type": "integer" } }, "required": ["width"], "additionalProperties": false }
                    ]
                  },
                  "grid": { "type": "array", "items": { "type": "array", "items": { "type": "integer", "maximum": 9 } } },
                  "label": { "type": "string", "maxLength": 5 },
                  "note": { "type": ["string", "null"] }
                },
                "required": ["size"],
                "additionalProperties": false
              },
              "binding": { "http": { "method": "GET", "path": "/place" } },
              "effects": { "readOnly": true }
            }
          ]
        }
        """;

    private readonly ToolCatalog _catalog = SampleAndShop();
    private readonly ToolArgumentValidator _validator = new();

    private static ToolCatalog SampleAndShop()
    {
        var registry = TestTools.SampleRegistry();
        Assert.True(registry.Register(Shop, "runtime:shop").Succeeded);
        var shapes = registry.Register(Shapes, "runtime:shapes");
        Assert.True(shapes.Succeeded, string.Join(Environment.NewLine, shapes.Errors));
        return registry.Current;
    }

    private ToolArgumentValidationResult Validate(string tool, string json)
    {
        using var document = JsonDocument.Parse(json);
        return _validator.Validate(_catalog.Get(tool), document.RootElement);
    }

    private static string Outcome(ToolArgumentValidationResult result) => $"{result.Describe()} | {result.Arguments.GetRawText()}";

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
    public void Validate_NullForAnOptionalPropertyThatMayBeNull_IsTreatedAsAbsent()
    {
        var result = Validate("shapes_place", """{ "size": 3, "label": null, "note": null }""");

        Assert.True(result.IsValid, result.Describe());
        Assert.Equal("""{"size":3}""", result.Arguments.GetRawText());
    }

    [Fact]
    public void Validate_NullsInsideTheObjectShapeOfAnAnyOf_AreTreatedAsAbsent()
    {
        var result = Validate("shapes_place", """{ "size": { "width": 2, "height": null } }""");

        Assert.True(result.IsValid, result.Describe());
        Assert.Equal("""{"size":{"width":2}}""", result.Arguments.GetRawText());
    }

    [Fact]
    public void Validate_NullForARequiredProperty_StaysAndIsReported()
    {
        var result = Validate("billing_charge_payment", """{ "invoiceId": null, "cardNumber": "4242424242424242", "amount": 5 }""");

        Assert.Equal("$.invoiceId: must be a string (got null)", Assert.Single(result.Errors).ToString());
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

    [Fact]
    public void Validate_MistakesInsideArrayItems_NameTheItemAndReadNumbersAsWritten()
    {
        var result = Validate("shop_quote_order", """
            { "lines": [ { "sku": "A1", "quantity": 2, "gift": null }, { "sku": "B2", "quantity": 1.5 }, { "quantity": 0, "size": "XL" } ],
              "deliverBy": "next tuesday", "note": null }
            """);

        Assert.Equal(
            [
                "$.deliverBy: must be an RFC 3339 date-time such as 2025-01-31T09:30:00Z (got \"next tuesday\")",
                "$.lines[1].quantity: must be an integer (got 1.5)",
                "$.lines[2].quantity: must be at least 1 (got 0)",
                "$.lines[2].size: is not an allowed property (allowed: sku, quantity, gift)",
                "$.lines[2].sku: is required",
            ],
            result.Errors.Select(e => e.ToString()));
        Assert.Equal(
            """{"lines":[{"sku":"A1","quantity":2},{"sku":"B2","quantity":1.5},{"quantity":0,"size":"XL"}],"deliverBy":"next tuesday"}""",
            result.Arguments.GetRawText());
    }

    [Fact]
    public void Validate_ArgumentsWithSpacesAndAccents_AreHandedOnCompactAndEscaped()
    {
        var result = Validate("crm_create_contact", """{ "name" : "Zoë Ørsted",  "email": "zoe@example.com" }""");

        Assert.True(result.IsValid, result.Describe());
        Assert.Equal("""{"name":"Zo\u00EB \u00D8rsted","email":"zoe@example.com"}""", result.Arguments.GetRawText());
    }

    [Fact]
    public void Validate_AnyOfWithOneMatchingShape_ReportsOnlyTheRealMistake()
    {
        var result = Validate("shapes_place", """{ "size": "large", "label": "too long" }""");

        Assert.Equal("$.label: must be at most 5 characters long (got \"too long\")", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Validate_AnyOfMatchingNoShape_ReportsOneErrorAtTheValue()
    {
        var result = Validate("shapes_place", """{ "size": 0 }""");

        Assert.Equal("$.size: matches none of the allowed shapes (got 0)", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Validate_MistakesInAnArrayOfArrays_NameBothIndexesAndCompareBigNumbersExactly()
    {
        var result = Validate("shapes_place", """{ "size": 2, "grid": [ [1, 2], [3, 12], [123456789012345678901234567890] ] }""");

        Assert.Equal(
            ["$.grid[1][1]: must be at most 9 (got 12)", "$.grid[2][0]: must be at most 9 (got 123456789012345678901234567890)"],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void ToolsLayer_ValidatesWithJsonSchemaNetOnSystemTextJson_AndNoLongerLoadsNJsonSchemaOrNewtonsoft()
    {
        var referenced = typeof(ToolArgumentValidator).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("JsonSchema.Net", referenced);
        Assert.DoesNotContain("NJsonSchema", referenced);
        Assert.DoesNotContain("Newtonsoft.Json", referenced);
    }

    [Fact]
    public async Task Validate_FromManyThreadsAtOnce_GivesTheSameResultsAsOneThread()
    {
        (string Tool, string Json)[] calls =
        [
            ("billing_charge_payment", """{ "invoiceId": "in_abc123", "cardNumber": "4242424242424242", "amount": 49.9 }"""),
            ("billing_charge_payment", """{ "invoiceId": "inv-1", "amount": 0, "currency": "EUR" }"""),
            ("billing_create_invoice", """{ "contactId": "ct_1", "amount": 10, "currency": "YEN", "description": "x" }"""),
            ("crm_create_contact", """{ "name": "Ada", "email": "not-an-email", "company": null, "phone": null }"""),
            ("crm_create_contact", """{ "name": "Zoë Ørsted", "email": "zoe@example.com" }"""),
            ("shop_quote_order", """{ "lines": [ { "sku": "B2", "quantity": 1.5 }, { "quantity": 0 } ], "deliverBy": "soon", "note": null }"""),
            ("shop_quote_order", """{ "lines": [ { "sku": "A1", "quantity": 2 } ], "deliverBy": "2025-01-31T09:30:00Z" }"""),
            ("shapes_place", """{ "size": "large", "label": "too long", "grid": [ [1, 12] ] }"""),
        ];
        var expected = calls.Select(c => Outcome(Validate(c.Tool, c.Json))).ToArray();
        var mismatches = new ConcurrentBag<string>();

        using var start = new Barrier(4);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            for (var i = 0; i < 200; i++)
            {
                var call = (i + worker) % calls.Length;
                var outcome = Outcome(Validate(calls[call].Tool, calls[call].Json));
                if (outcome != expected[call])
                {
                    mismatches.Add(outcome);
                }
            }
        })));

        Assert.Empty(mismatches);
    }
}
