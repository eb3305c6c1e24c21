using System.Net;
using System.Text.Json;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using AgentOrchestrator.Tools.Invocation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static AgentOrchestrator.Agents.Tests.Infrastructure.SampleScripts;
using static AgentOrchestrator.Agents.Tests.Infrastructure.ScriptedTestModel;

namespace AgentOrchestrator.Agents.Tests.Sessions;

/// <summary>Whole sessions against the real sample services: chains that succeed, fail and roll back.</summary>
public sealed class SagaScenarioTests
{
    [Fact]
    public async Task Turn_ChainSucceeds_ChargesOnceAndAnswers()
    {
        var model = new ScriptedTestModel([CreateContact(), CreateInvoice(), Charge(GoodCard), Say("Ada is set up, invoiced and charged 42 EUR.")]);
        await using var harness = await AgentHarness.StartAsync(model);

        var session = await harness.Client.StartSessionAsync("client-a", "Set up Ada Lovelace and charge her 42 EUR.");
        var completed = await harness.WaitForTurnAsync(session.SessionId, 1);

        Assert.Equal("completed", completed.Data.GetProperty("outcome").GetString());
        Assert.Equal("Ada is set up, invoiced and charged 42 EUR.", completed.Data.GetProperty("text").GetString());
        var events = await harness.EventsAsync(session.SessionId);
        var invoiceId = ResultId(events, "c2");
        var payments = await harness.Services.GetJsonAsync($"/billing/payments?invoiceId={invoiceId}");
        Assert.Equal(1, Items(payments).GetArrayLength());
        Assert.DoesNotContain(events, e => e.Kind.StartsWith("compensation.", StringComparison.Ordinal));
        Assert.Equal(["c1", "c2", "c3"], events.Where(e => e.Kind == SessionEventKinds.ToolCompleted).Select(e => e.Data.GetProperty("callId").GetString()));
        // Each call is announced when the model asks for it, before it starts; each model call reports its usage.
        var kinds = events.Select(e => e.Kind).ToList();
        Assert.Equal(["c1", "c2", "c3"], events.Where(e => e.Kind == SessionEventKinds.ToolRequested).Select(e => e.Data.GetProperty("callId").GetString()));
        Assert.True(kinds.IndexOf(SessionEventKinds.ToolRequested) < kinds.IndexOf(SessionEventKinds.ToolStarted));
        var usage = events.Where(e => e.Kind == SessionEventKinds.Usage).ToList();
        Assert.Equal(4, usage.Count);
        Assert.Equal(400, usage[^1].Data.GetProperty("turnInputTokens").GetInt64());

        var status = await harness.WaitForStatusAsync(session.SessionId, s => s.Progress.Phase == SessionPhases.Idle);
        Assert.Equal(400, status.Progress.InputTokens);
        Assert.Empty(status.Progress.OpenChain);
    }

    [Fact]
    public async Task Turn_PaymentDeclined_VoidsInvoiceDeletesContactAndModelSaysSo()
    {
        var model = new ScriptedTestModel([
            CreateContact(), CreateInvoice(), Charge(DeclinedCard),
            v => new ChatMessage(ChatRole.Assistant, $"The payment failed ({v.Results["c3"].GetProperty("error").GetString()}); I undid {v.Results["c3"].GetProperty("rolledBack").GetArrayLength()} steps."),
        ]);
        await using var harness = await AgentHarness.StartAsync(model);

        var session = await harness.Client.StartSessionAsync("client-a", "Set up Ada Lovelace and charge her 42 EUR.");
        var completed = await harness.WaitForTurnAsync(session.SessionId, 1);

        Assert.Equal("The payment failed (card_declined); I undid 2 steps.", completed.Data.GetProperty("text").GetString());
        var events = await harness.EventsAsync(session.SessionId);
        var contactId = ResultId(events, "c1");
        var invoiceId = ResultId(events, "c2");
        var invoice = await harness.Services.GetJsonAsync($"/billing/invoices/{invoiceId}");
        Assert.Equal("void", invoice.GetProperty("status").GetString());
        using var contact = await harness.Services.Client.GetAsync($"/crm/contacts/{contactId}");
        Assert.Equal(HttpStatusCode.NotFound, contact.StatusCode);
        var payments = Items(await harness.Services.GetJsonAsync($"/billing/payments?invoiceId={invoiceId}"));
        Assert.DoesNotContain(payments.EnumerateArray(), p => p.GetProperty("status").GetString() == "succeeded");

        // Newest first: the invoice is voided before the contact is deleted, each with the ':compensate' key.
        var compensations = events.Where(e => e.Kind == SessionEventKinds.CompensationCompleted).ToList();
        Assert.Equal(["billing_void_invoice", "crm_delete_contact"], compensations.Select(e => e.Data.GetProperty("compensationTool").GetString()));
        Assert.All(compensations, e => Assert.EndsWith(":compensate", e.Data.GetProperty("idempotencyKey").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Turn_ServiceSaysInProgressMoreOftenThanTheAttemptsAllow_WaitsAndChargesOnce()
    {
        var model = new ScriptedTestModel([CreateContact(), CreateInvoice(), Charge(GoodCard), Say("Charged.")]);
        InProgressToolInvoker? invoker = null;
        await using var harness = await AgentHarness.StartAsync(model, configureHost: services =>
        {
            var real = services.Single(d => d.ServiceType == typeof(IToolInvoker));
            services.Remove(real);
            services.AddSingleton<IToolInvoker>(sp => invoker = new InProgressToolInvoker(
                (IToolInvoker)ActivatorUtilities.CreateInstance(sp, real.ImplementationType!), "billing_charge_payment", times: 5, TimeSpan.FromMilliseconds(20)));
        });

        var session = await harness.Client.StartSessionAsync("client-a", "Set up Ada Lovelace and charge her 42 EUR.");
        var completed = await harness.WaitForTurnAsync(session.SessionId, 1);

        // Five "in progress" answers, more than the charge's attempts: waiting spent none, and the charge went through once.
        Assert.Equal("Charged.", completed.Data.GetProperty("text").GetString());
        var events = await harness.EventsAsync(session.SessionId);
        Assert.Equal(5, events.Count(e => e.Kind == SessionEventKinds.ToolWaiting));
        var charged = Assert.Single(events, e => e.Kind == SessionEventKinds.ToolCompleted && e.Data.GetProperty("callId").GetString() == "c3");
        Assert.Equal(1, charged.Data.GetProperty("attempts").GetInt32());
        Assert.DoesNotContain(events, e => e.Kind.StartsWith("compensation.", StringComparison.Ordinal));
        Assert.Equal(1, Items(await harness.Services.GetJsonAsync($"/billing/payments?invoiceId={ResultId(events, "c2")}")).GetArrayLength());
        Assert.Equal(6, invoker!.InProgressAnswers);
    }

    internal static string ResultId(IEnumerable<SessionEvent> events, string callId)
        => events.First(e => e.Kind == SessionEventKinds.ToolCompleted && e.Data.GetProperty("callId").GetString() == callId)
            .Data.GetProperty("result").GetProperty("id").GetString()!;

    internal static JsonElement Items(JsonElement list) => list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("items");
}
