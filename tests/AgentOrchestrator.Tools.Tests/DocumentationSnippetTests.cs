using System.Text.Json;
using AgentOrchestrator.SampleServices.Billing;
using AgentOrchestrator.Tools.Invocation;
using AgentOrchestrator.Tools.Sagas;
using AgentOrchestrator.Tools.Schemas;
using AgentOrchestrator.Tools.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrchestrator.Tools.Tests;

/// <summary>The C# snippets of docs/MANIFESTS.md, run as written.</summary>
public sealed class DocumentationSnippetTests
{
    [Fact]
    public async Task AddHandler_ClockSnippetFromTheDocs_ServesTheHandlerTool()
    {
        var timeProvider = new FakeTimeProvider(DateTimeOffset.Parse("2025-06-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AgentTools:ManifestsPath"] = string.Empty }).Build();
        var services = new ServiceCollection().AddLogging();

        services.AddAgentTools(configuration)
            .AddHandler("clock.now", isReadOnly: true, (context, cancellationToken) =>
                Task.FromResult(JsonSerializer.SerializeToElement(new { utc = timeProvider.GetUtcNow() })))
            .AddHandler("ledger.append", isReadOnly: false, (context, cancellationToken) => Task.FromResult(JsonSerializer.SerializeToElement(new { })));

        await using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<ToolRegistry>();
        Assert.True(registry.Register(TestTools.Fixture("good-handler.json"), "runtime:local").Succeeded);
        using var arguments = JsonDocument.Parse("{}");
        var result = await provider.GetRequiredService<IToolInvoker>().InvokeAsync(registry.Current.Get("clock_now"), arguments.RootElement, "s1:t1:c1", CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("2025-06-01T10:00:00+00:00", result.Result.GetProperty("utc").GetString());
    }

    [Fact]
    public async Task CallingToolsSnippetFromTheDocs_UnknownBadAndGoodCalls_AnswerTheModelAndChargeOnce()
    {
        await using var harness = await ToolsHarness.StartAsync();
        var registry = harness.Registry;
        var validator = new ToolArgumentValidator();
        var invoker = harness.Invoker;
        var planner = harness.Planner;
        var (session, turn) = ("s1", 1);
        var cancellationToken = CancellationToken.None;
        var recorded = new List<CompensationPlan>();

        // The body is the snippet in docs/MANIFESTS.md "Calling tools from the orchestrator", unchanged but for
        // the line that records the plan.
        async Task<string> HandleAsync(string toolName, JsonElement arguments, string callId)
        {
            var catalog = registry.Current; // take once per session and keep: later manifest changes do not touch it
            if (!catalog.TryGet(toolName, out var tool))
            {
                return catalog.DescribeUnknownTool(toolName); // back to the model as the tool's error
            }

            var model = new { tool.Name, tool.Description, Parameters = tool.StrictParameters }; // what the model is given
            var check = validator.Validate(tool, arguments);
            if (!check.IsValid)
            {
                return check.Describe(); // "$.amount: must be greater than 0 (got 0)", one line per problem
            }

            var needsApproval = tool.Approval.IsRequired(check.Arguments);
            var result = await invoker.InvokeAsync(tool, check.Arguments, $"{session}:{turn}:{callId}", cancellationToken);
            switch (result.Outcome)
            {
                case ToolOutcome.Succeeded:
                    var undo = planner.Plan(catalog, tool, check.Arguments, result.Result);
                    recorded.Add(undo);
                    return result.Result.GetRawText();
                case ToolOutcome.InProgress:
                    return result.ToString();
                case ToolOutcome.RetryableFailure:
                    return result.ToString();
                default:
                    return result.ToString();
            }
        }

        var created = await HandleAsync("billing_create_invoice", Json("""{ "contactId": "ct_ada", "amount": 20, "currency": "EUR", "description": "Plan" }"""), "c1");
        var invoiceId = JsonDocument.Parse(created).RootElement.GetProperty("id").GetString();
        var unknown = await HandleAsync("billing_charge_card", Json("{}"), "c2");
        var invalid = await HandleAsync("billing_charge_payment", Json("""{ "invoiceId": "inv-1", "amount": 0, "currency": "EUR" }"""), "c3");
        var charge = Json($$"""{ "invoiceId": "{{invoiceId}}", "cardNumber": "{{TestCards.Success}}", "amount": 20 }""");
        var charged = await HandleAsync("billing_charge_payment", charge, "c4");
        var again = await HandleAsync("billing_charge_payment", charge, "c4");

        Assert.StartsWith("there is no tool named 'billing_charge_card'; the available tools are: ", unknown, StringComparison.Ordinal);
        Assert.Equal(
            string.Join(Environment.NewLine,
                "$.amount: must be greater than 0 (got 0)",
                "$.cardNumber: is required",
                "$.currency: is not an allowed property (allowed: invoiceId, cardNumber, amount)",
                "$.invoiceId: must match the pattern ^in_[a-z0-9]+$ (got \"inv-1\")"),
            invalid);
        Assert.Equal(charged, again);
        Assert.Equal(["billing_void_invoice", "billing_refund_payment", "billing_refund_payment"], recorded.Select(p => p.Call!.ToolName));
        Assert.Equal(1, await harness.Services.CountRowsAsync("billing", "payments"));
    }

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
