using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrchestrator.Tools.Schemas;
using AgentOrchestrator.Tools.Tests.Infrastructure;

namespace AgentOrchestrator.Tools.Tests.Schemas;

public sealed class StrictSchemaConverterTests
{
    [Fact]
    public void StrictParameters_OptionalProperty_IsRequiredAndNullable()
    {
        var strict = TestTools.SampleRegistry().Current.Get("crm_create_contact").StrictParameters;

        Assert.Equal(["name", "email", "company", "phone"], strict.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("""["string","null"]""", strict.GetProperty("properties").GetProperty("company").GetProperty("type").GetRawText());
        Assert.Equal("\"string\"", strict.GetProperty("properties").GetProperty("name").GetProperty("type").GetRawText());
        Assert.False(strict.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void StrictParameters_ConstraintsStrictModeEnforces_StayInTheSchemaTheModelGets()
    {
        var create = TestTools.SampleRegistry().Current.Get("crm_create_contact").StrictParameters.GetProperty("properties");
        var charge = TestTools.SampleRegistry().Current.Get("billing_charge_payment").StrictParameters.GetProperty("properties");

        Assert.Equal("""{"type":"string","format":"email","description":"Email address, unique in the CRM."}""", create.GetProperty("email").GetRawText());
        Assert.Equal("^\\+?[0-9 ()-]{5,20}$", create.GetProperty("phone").GetProperty("pattern").GetString());
        Assert.Equal("^in_[a-z0-9]+$", charge.GetProperty("invoiceId").GetProperty("pattern").GetString());
        Assert.Equal(
            """{"type":"number","exclusiveMinimum":0,"maximum":100000,"description":"Amount to charge in the invoice's currency."}""",
            charge.GetProperty("amount").GetRawText());
    }

    [Fact]
    public void StrictParameters_ConstraintsStrictModeDoesNotTake_AreStatedInTheDescription()
    {
        var name = TestTools.SampleRegistry().Current.Get("crm_create_contact").StrictParameters.GetProperty("properties").GetProperty("name");

        Assert.Equal("""{"type":"string","description":"Full name. Constraints: minLength 1; maxLength 200."}""", name.GetRawText());
    }

    [Fact]
    public void Convert_LookaheadPatternUriFormatDefaultAndExamples_GoToTheDescription()
    {
        using var schema = JsonDocument.Parse("""
            {
              "type": "object",
              "properties": {
                "password": { "type": "string", "pattern": "^(?=.*[0-9]).{8,}$", "description": "New password." },
                "site": { "type": "string", "format": "uri" },
                "pageSize": { "type": "integer", "minimum": 1, "maximum": 100, "default": 20, "examples": [10, 50] },
                "tags": { "type": "array", "items": { "type": "string" }, "minItems": 1, "uniqueItems": true }
              },
              "required": ["password", "site", "pageSize", "tags"]
            }
            """);
        var errors = new List<(string, string)>();

        var strict = StrictSchemaConverter.Convert(schema.RootElement, errors);

        Assert.Empty(errors);
        var expected = JsonNode.Parse("""
            {
              "type": "object",
              "properties": {
                "password": { "type": "string", "description": "New password. Constraints: pattern ^(?=.*[0-9]).{8,}$." },
                "site": { "type": "string", "description": "Constraints: format uri." },
                "pageSize": { "type": "integer", "minimum": 1, "maximum": 100, "description": "Default: 20. Examples: 10, 50." },
                "tags": { "type": "array", "items": { "type": "string" }, "minItems": 1, "description": "Constraints: uniqueItems true." }
              },
              "required": ["password", "site", "pageSize", "tags"],
              "additionalProperties": false
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(strict.GetRawText())), strict.GetRawText());
    }

    [Fact]
    public void Convert_OptionalEnumAndNestedObject_GetNullAndClosedObjects()
    {
        using var schema = JsonDocument.Parse("""
            {
              "type": "object",
              "properties": {
                "reason": { "type": "string", "enum": ["a", "b"] },
                "address": {
                  "type": "object",
                  "properties": { "city": { "type": "string", "minLength": 1 }, "zip": { "type": "string" } },
                  "required": ["city"]
                },
                "tags": { "type": "array", "items": { "type": "string", "maxLength": 10 }, "maxItems": 5 }
              },
              "required": ["address"]
            }
            """);
        var errors = new List<(string, string)>();

        var strict = StrictSchemaConverter.Convert(schema.RootElement, errors);

        Assert.Empty(errors);
        var expected = JsonNode.Parse("""
            {
              "type": "object",
              "properties": {
                "reason": { "type": ["string", "null"], "enum": ["a", "b", null] },
                "address": {
                  "type": "object",
                  "properties": {
                    "city": { "type": "string", "description": "Constraints: minLength 1." },
                    "zip": { "type": ["string", "null"] }
                  },
                  "required": ["city", "zip"],
                  "additionalProperties": false
                },
                "tags": {
                  "type": ["array", "null"],
                  "items": { "type": "string", "description": "Constraints: maxLength 10." },
                  "maxItems": 5
                }
              },
              "required": ["reason", "address", "tags"],
              "additionalProperties": false
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(strict.GetRawText())), strict.GetRawText());
    }

    [Fact]
    public void Convert_MapShapedObject_IsReportedBecauseStrictModeCannotExpressIt()
    {
        using var schema = JsonDocument.Parse("""{ "type": "object", "properties": { "labels": { "type": "object", "additionalProperties": true } } }""");
        var errors = new List<(string Pointer, string Message)>();

        StrictSchemaConverter.Convert(schema.RootElement, errors);

        Assert.Equal(["/properties/labels/additionalProperties", "/properties/labels"], errors.Select(e => e.Pointer));
    }

    [Fact]
    public void Convert_ToolWithoutArguments_GivesTheModelAnEmptyClosedObject()
    {
        using var schema = JsonDocument.Parse("""{ "type": "object", "properties": {} }""");
        var errors = new List<(string, string)>();

        var strict = StrictSchemaConverter.Convert(schema.RootElement, errors);

        Assert.Empty(errors);
        Assert.Equal("""{"type":"object","properties":{},"required":[],"additionalProperties":false}""", strict.GetRawText());
    }
}
