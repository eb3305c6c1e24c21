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
    public void StrictParameters_UnsupportedKeywords_AreRemovedAndStatedInTheDescription()
    {
        var tool = TestTools.SampleRegistry().Current.Get("crm_create_contact");
        var email = tool.StrictParameters.GetProperty("properties").GetProperty("email");
        var phone = tool.StrictParameters.GetProperty("properties").GetProperty("phone");

        Assert.False(email.TryGetProperty("format", out _));
        Assert.Equal("Email address, unique in the CRM. Constraints: format email.", email.GetProperty("description").GetString());
        Assert.False(phone.TryGetProperty("pattern", out _));
        Assert.Contains("pattern ^\\+?[0-9 ()-]{5,20}$", phone.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("email", tool.Parameters.GetProperty("properties").GetProperty("email").GetProperty("format").GetString());
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
                  "description": "Constraints: maxItems 5."
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
