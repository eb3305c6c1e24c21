using System.Text.Json;
using AgentOrchestrator.Tools.Sagas;

namespace AgentOrchestrator.Tools.Tests.Sagas;

public sealed class JsonPathExpressionTests
{
    private static readonly JsonElement Context = JsonDocument.Parse("""
        { "args": { "amount": 49.9, "lines": [ { "sku": "A-1" }, { "sku": "B-2" } ], "odd key": true },
          "result": { "id": "py_123", "card": null } }
        """).RootElement;

    [Theory]
    [InlineData("$.result.id", "\"py_123\"")]
    [InlineData("$.args.amount", "49.9")]
    [InlineData("$.args.lines[1].sku", "\"B-2\"")]
    [InlineData("$['args']['odd key']", "true")]
    [InlineData("$.result.card", "null")]
    public void TryEvaluate_PathToExistingValue_ReturnsIt(string path, string expected)
    {
        Assert.True(JsonPathExpression.Parse(path).TryEvaluate(Context, out var value));
        Assert.Equal(expected, value.GetRawText());
    }

    [Theory]
    [InlineData("$.result.missing")]
    [InlineData("$.args.lines[5].sku")]
    [InlineData("$.args.amount.cents")]
    public void TryEvaluate_PathToNothing_ReturnsFalse(string path) =>
        Assert.False(JsonPathExpression.Parse(path).TryEvaluate(Context, out _));

    [Theory]
    [InlineData("result.id", "must start with $")]
    [InlineData("$.args.lines[*].sku", "wildcards and filters are not supported")]
    [InlineData("$..id", "expected a property name")]
    [InlineData("$.args['open", "unterminated")]
    public void TryParse_OutsideTheSubset_SaysWhy(string path, string reason)
    {
        Assert.False(JsonPathExpression.TryParse(path, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_MappingWithPathsLiteralsAndEscape_BuildsTheArguments()
    {
        using var template = JsonDocument.Parse("""
            { "paymentId": "$.result.id", "amount": "$.args.amount", "reason": "compensation", "note": "$$5 off", "skus": ["$.args.lines[0].sku"], "gone": "$.result.refundId" }
            """);

        var mapped = ArgumentMapping.Apply(template.RootElement, Context);

        Assert.Equal("""{"paymentId":"py_123","amount":49.9,"reason":"compensation","note":"$5 off","skus":["A-1"]}""", mapped.Value.GetRawText());
        Assert.Equal(["$.result.refundId"], mapped.MissingPaths);
    }
}
