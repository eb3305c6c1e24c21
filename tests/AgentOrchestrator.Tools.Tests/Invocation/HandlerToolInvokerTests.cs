using System.Collections.Concurrent;
using System.Text.Json;
using AgentOrchestrator.Tools.Invocation;
using AgentOrchestrator.Tools.Manifests;
using AgentOrchestrator.Tools.Tests.Infrastructure;

namespace AgentOrchestrator.Tools.Tests.Invocation;

public sealed class HandlerToolInvokerTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static Task<ToolsHarness> StartAsync(Func<ToolHandlerContext, JsonElement> clock, Func<ToolHandlerContext, JsonElement> ledger) =>
        ToolsHarness.StartAsync(handlers: builder => builder
            .AddHandler("clock.now", isReadOnly: true, (context, _) => Task.FromResult(clock(context)))
            .AddHandler("ledger.append", isReadOnly: false, (context, _) => Task.FromResult(ledger(context))));

    private static void RegisterFixture(ToolsHarness harness)
    {
        var result = harness.Registry.Register(TestTools.Fixture("good-handler.json"), "runtime:local");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
    }

    [Fact]
    public async Task InvokeAsync_SideEffectingHandler_GetsTheKeyFromTheManifestTemplateOnEveryAttempt()
    {
        var keys = new ConcurrentQueue<string?>();
        await using var harness = await StartAsync(_ => Json("""{ "utc": "2025-06-01T10:00:00Z" }"""), context =>
        {
            keys.Enqueue(context.IdempotencyKey);
            return Json("""{ "appended": true }""");
        });
        RegisterFixture(harness);

        var first = await harness.InvokeAsync("ledger_append", """{ "text": "hello" }""", "s1:t2:c3");
        var again = await harness.InvokeAsync("ledger_append", """{ "text": "hello" }""", "s1:t2:c3");

        Assert.True(first.IsSuccess && again.IsSuccess);
        Assert.Equal(["ledger:s1:t2:c3", "ledger:s1:t2:c3"], keys);
    }

    [Fact]
    public async Task InvokeAsync_OptionalArgumentsTheModelSentAsNull_AreNotHandedToTheTool()
    {
        var received = new ConcurrentQueue<string>();
        await using var harness = await StartAsync(_ => Json("{}"), context =>
        {
            received.Enqueue(context.Arguments.GetRawText());
            return Json("""{ "appended": true }""");
        });
        var manifest = TestTools.Fixture("good-handler.json").ReplaceFirst(
            "\"properties\": { \"text\": { \"type\": \"string\", \"minLength\": 1 } },",
            """
            "properties": {
              "text": { "type": "string", "minLength": 1 },
              "memo": { "type": ["string", "null"] },
              "tag": { "anyOf": [ { "type": "string" }, { "type": "object", "properties": { "name": { "type": "string" }, "colour": { "type": "string" } }, "required": ["name"], "additionalProperties": false } ] }
            },
            """);
        Assert.True(harness.Registry.Register(manifest, "runtime:local").Succeeded);

        var result = await harness.InvokeAsync("ledger_append", """{ "text": "hello", "memo": null, "tag": { "name": "vip", "colour": null } }""", "s1:t1:c1");

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(["""{"text":"hello","tag":{"name":"vip"}}"""], received);
    }

    [Fact]
    public async Task InvokeAsync_HandlerSaysTheKeyIsInProgress_IsInProgressWithItsWaitOrTheToolsRetryInterval()
    {
        var waits = new Queue<TimeSpan?>([TimeSpan.FromSeconds(4), null]);
        await using var harness = await StartAsync(_ => Json("{}"), _ => throw ToolHandlerException.InProgress("the entry for this key is still being written", waits.Dequeue()));
        RegisterFixture(harness);

        var told = await harness.InvokeAsync("ledger_append", """{ "text": "x" }""", "s1:t1:c1");
        var untold = await harness.InvokeAsync("ledger_append", """{ "text": "x" }""", "s1:t1:c1");

        Assert.Equal((ToolOutcome.InProgress, ToolErrorCodes.InProgress, TimeSpan.FromSeconds(4)), (told.Outcome, told.ErrorCode, told.RetryAfter));
        Assert.Equal((ToolOutcome.InProgress, harness.Registry.Current.Get("ledger_append").Retry.InitialInterval), (untold.Outcome, untold.RetryAfter));
    }

    [Fact]
    public async Task InvokeAsync_ReadOnlyHandler_ResultCheckedAgainstTheResultSchema()
    {
        await using var harness = await StartAsync(_ => Json("""{ "utc": "yesterday" }"""), _ => Json("{}"));
        RegisterFixture(harness);

        var result = await harness.InvokeAsync("clock_now", """{ "zone": null }""", "s1:t1:c1");

        Assert.Equal((ToolErrorCodes.ResultSchemaMismatch, false), (result.ErrorCode, result.IsRetryable));
        Assert.Contains("$.utc: must be an RFC 3339 date-time", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("yesterday", result.RawResult!.Value.GetProperty("utc").GetString());
    }

    [Fact]
    public async Task InvokeAsync_HandlerThrowsWithCode_FailsWithThatCodeAndRetryDecision()
    {
        await using var harness = await StartAsync(
            _ => throw new ToolHandlerException("clock_unavailable", "The clock is being adjusted.", isRetryable: true),
            _ => throw new InvalidOperationException("disk full"));
        RegisterFixture(harness);

        var clock = await harness.InvokeAsync("clock_now", "{}", "s1:t1:c1");
        var ledger = await harness.InvokeAsync("ledger_append", """{ "text": "x" }""", "s1:t1:c2");

        Assert.Equal(("clock_unavailable", true, "The clock is being adjusted."), (clock.ErrorCode, clock.IsRetryable, clock.ErrorMessage));
        Assert.Equal((ToolErrorCodes.HandlerError, true), (ledger.ErrorCode, ledger.IsRetryable));
        Assert.Contains("disk full", ledger.ErrorMessage, StringComparison.Ordinal);
    }
}
