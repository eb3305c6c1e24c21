using System.Net;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using AgentOrchestrator.SampleServices;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.AI;
using static AgentOrchestrator.Agents.Tests.Infrastructure.ScriptedTestModel;
using static AgentOrchestrator.Agents.Tests.Infrastructure.SampleScripts;
using static AgentOrchestrator.Agents.Tests.Sessions.SagaScenarioTests;

namespace AgentOrchestrator.Agents.Tests.Sessions;

/// <summary>Rollbacks that cannot finish park for staff; cancels, pivots and termination behave as documented.</summary>
public sealed class ParkAndCancelScenarioTests
{
    [Fact]
    public async Task CompensationKeepsFailing_ChainParks_StaffRetryFinishesIt()
    {
        var model = new ScriptedTestModel([CreateContact(), CreateInvoice(), Charge("4000000000000002"), Say("Payment failed.")]);
        var deleteFails = new FaultRule { Operation = "delete_contact", FailureRate = 1.0, StatusCode = 503 };
        await using var harness = await AgentHarness.StartAsync(
            model, o => o.Crm.Faults.Add(deleteFails));

        var session = await harness.Client.StartSessionAsync("client-a", "Set up Ada and charge her.");
        await harness.WaitForTurnAsync(session.SessionId, 1, TimeSpan.FromSeconds(60));

        var status = (await harness.Client.GetStatusAsync(session.SessionId))!;
        Assert.True(status.Progress.NeedsAttention);
        var chain = Assert.Single(status.Progress.ParkedChains);
        var step = Assert.Single(chain.Pending);
        Assert.Equal("crm_delete_contact", step.CompensationTool);
        var events = await harness.EventsAsync(session.SessionId);
        Assert.Equal("void", (await harness.Services.GetJsonAsync($"/billing/invoices/{ResultId(events, "c2")}")).GetProperty("status").GetString());
        Assert.Contains(events, e => e.Kind == SessionEventKinds.ChainParked);

        deleteFails.FailureRate = 0;
        await harness.Client.ActOnParkedChainAsync(session.SessionId, new ChainAction(chain.ChainId, ChainActionKind.Retry, "staff-1"));
        var resolved = await harness.WaitForEventAsync(session.SessionId, SessionEventKinds.ChainResolved);

        Assert.Equal("compensated", resolved.Data.GetProperty("outcome").GetString());
        using var contact = await harness.Services.Client.GetAsync($"/crm/contacts/{ResultId(events, "c1")}");
        Assert.Equal(HttpStatusCode.NotFound, contact.StatusCode);
        Assert.False((await harness.Client.GetStatusAsync(session.SessionId))!.Progress.NeedsAttention);
    }

    [Fact]
    public async Task ParkedChain_ResolvedByHand_ClearsAttentionWithoutRunningAnything()
    {
        var model = new ScriptedTestModel([CreateContact(), CreateInvoice(), Charge("4000000000000002"), Say("Payment failed.")]);
        await using var harness = await AgentHarness.StartAsync(
            model, o => o.Crm.Faults.Add(new FaultRule { Operation = "delete_contact", FailureRate = 1.0, StatusCode = 500 }));
        var session = await harness.Client.StartSessionAsync("client-a", "Set up Ada and charge her.");
        await harness.WaitForTurnAsync(session.SessionId, 1, TimeSpan.FromSeconds(60));
        var chain = Assert.Single((await harness.Client.GetStatusAsync(session.SessionId))!.Progress.ParkedChains);
        var startedBefore = (await harness.EventsAsync(session.SessionId)).Count(e => e.Kind == SessionEventKinds.CompensationStarted);

        await harness.Client.ActOnParkedChainAsync(session.SessionId, new ChainAction(chain.ChainId, ChainActionKind.Resolve, "staff-1", "deleted in the CRM console"));
        var resolved = await harness.WaitForEventAsync(session.SessionId, SessionEventKinds.ChainResolved);

        Assert.Equal("resolved by hand", resolved.Data.GetProperty("outcome").GetString());
        Assert.Equal("deleted in the CRM console", resolved.Data.GetProperty("note").GetString());
        Assert.Equal(startedBefore, (await harness.EventsAsync(session.SessionId)).Count(e => e.Kind == SessionEventKinds.CompensationStarted));
        Assert.Empty((await harness.Client.GetStatusAsync(session.SessionId))!.Progress.ParkedChains);
    }

    [Fact]
    public async Task Cancel_WhileWaitingForApproval_RollsBackCompletedSteps()
    {
        var model = new ScriptedTestModel([
            CreateContact(), CreateInvoice(amount: 150), Charge("4242424242424242", amount: 150),
            v => CallMessage(("billing_refund_payment", $$"""{"paymentId":"{{v.Id("c3")}}","amount":150}""", "r1")),
            Say("unreachable"),
        ]);
        await using var harness = await AgentHarness.StartAsync(model);
        var session = await harness.Client.StartSessionAsync("client-a", "Charge Ada 150 EUR, then refund it.");
        await harness.WaitForEventAsync(session.SessionId, SessionEventKinds.ApprovalNeeded);

        await harness.Client.CancelTurnAsync(session.SessionId, "customer changed their mind");
        var completed = await harness.WaitForTurnAsync(session.SessionId, 1);

        Assert.Equal("cancelled", completed.Data.GetProperty("outcome").GetString());
        Assert.Contains("customer changed their mind", completed.Data.GetProperty("text").GetString(), StringComparison.Ordinal);
        var events = await harness.EventsAsync(session.SessionId);
        Assert.Equal(["billing_refund_payment", "billing_void_invoice", "crm_delete_contact"],
            events.Where(e => e.Kind == SessionEventKinds.CompensationCompleted).Select(e => e.Data.GetProperty("compensationTool").GetString()));
        var payment = await harness.Services.GetJsonAsync($"/billing/payments/{ResultId(events, "c3")}");
        Assert.Equal(150m, payment.GetProperty("amountRefunded").GetDecimal());
        Assert.Equal(4, model.Calls);
    }

    [Fact]
    public async Task Pivot_SealsEarlierSteps_LaterFailureRollsBackOnlyAfterIt()
    {
        var model = new ScriptedTestModel([
            CreateContact(), CreateInvoice(), Charge("4242424242424242"),
            v => CallMessage(("billing_send_receipt", $$"""{"invoiceId":"{{v.Id("c2")}}","email":"ada@example.com"}""", "p1")),
            Call("crm_create_contact", """{"name":"Ada Twin","email":"ada@example.com"}""", "c4"),
            Say("Receipt sent; the duplicate contact was refused."),
        ]);
        await using var harness = await AgentHarness.StartAsync(model);

        var session = await harness.Client.StartSessionAsync("client-a", "Charge Ada and send the receipt.");
        await harness.WaitForTurnAsync(session.SessionId, 1);

        var events = await harness.EventsAsync(session.SessionId);
        var sealedEvent = Assert.Single(events, e => e.Kind == SessionEventKinds.ChainSealed);
        Assert.Equal(3, sealedEvent.Data.GetProperty("sealedCalls").GetArrayLength());
        Assert.DoesNotContain(events, e => e.Kind == SessionEventKinds.CompensationStarted);
        var invoice = await harness.Services.GetJsonAsync($"/billing/invoices/{ResultId(events, "c2")}");
        Assert.Equal("paid", invoice.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Terminate_WithOpenChain_SkipsCompensationAndSaysSo()
    {
        var model = new ScriptedTestModel([
            CreateContact(), CreateInvoice(amount: 150), Charge("4242424242424242", amount: 150),
            v => CallMessage(("billing_refund_payment", $$"""{"paymentId":"{{v.Id("c3")}}","amount":150}""", "r1")),
        ]);
        await using var harness = await AgentHarness.StartAsync(model);
        var session = await harness.Client.StartSessionAsync("client-a", "Charge Ada 150 EUR, then refund it.");
        await harness.WaitForEventAsync(session.SessionId, SessionEventKinds.ApprovalNeeded);

        await harness.Durable.TerminateInstanceAsync(session.SessionId, "staff stop");
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await harness.Durable.WaitForInstanceCompletionAsync(session.SessionId, cancellation: wait.Token);

        var status = (await harness.Client.GetStatusAsync(session.SessionId))!;
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, status.RuntimeStatus);
        Assert.Contains("compensation was skipped", status.TerminationNote, StringComparison.Ordinal);
        Assert.Contains("billing_charge_payment", status.TerminationNote, StringComparison.Ordinal);
        Assert.DoesNotContain(await harness.EventsAsync(session.SessionId), e => e.Kind == SessionEventKinds.CompensationStarted);
        await Assert.ThrowsAsync<SessionClosedException>(() => harness.Client.SendMessageAsync(session.SessionId, "hello?"));
    }

    [Fact]
    public async Task Cancel_WhileTheModelHangs_StopsAtOnceRollsBackAndLeavesTheLateAnswerOut()
    {
        var scripted = new ScriptedTestModel([CreateContact(), Say("Ada is set up.")], [v => new ChatMessage(ChatRole.Assistant, $"second turn saw {v.Messages.Count} messages")]);
        var model = new HangingModel(scripted, hangOnCall: 2);
        await using var harness = await AgentHarness.StartAsync(model);
        var session = await harness.Client.StartSessionAsync("client-a", "Set up Ada.");
        await model.Hanging.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The model hangs after the contact was made: cancel does not wait for it.
        await harness.Client.CancelTurnAsync(session.SessionId, "user gave up");
        var cancelled = await harness.WaitForTurnAsync(session.SessionId, 1);

        Assert.Equal("cancelled", cancelled.Data.GetProperty("outcome").GetString());
        var events = await harness.EventsAsync(session.SessionId);
        using (var contact = await harness.Services.Client.GetAsync($"/crm/contacts/{ResultId(events, "c1")}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, contact.StatusCode);
        }

        // The model answers late: its answer is not the turn's, and the next turn's conversation leaves it out.
        model.Release.SetResult();
        await harness.WaitForEventAsync(session.SessionId, SessionEventKinds.ModelCompleted, e => e.Data.GetProperty("step").GetInt32() == 2);
        await harness.Client.SendMessageAsync(session.SessionId, "Try again later.");
        var second = await harness.WaitForTurnAsync(session.SessionId, 2);

        Assert.Equal("cancelled", (await harness.EventsAsync(session.SessionId)).Single(e => e.Kind == SessionEventKinds.TurnCompleted && e.Data.GetProperty("turn").GetInt32() == 1).Data.GetProperty("outcome").GetString());
        var shown = scripted.Requests[^1];
        Assert.DoesNotContain(shown, m => m.Role == ChatRole.Assistant && m.Text.Contains("Ada is set up.", StringComparison.Ordinal));
        Assert.Contains(shown, m => m.Role == ChatRole.System && m.Text.Contains("cancelled", StringComparison.Ordinal));
        // system, user 1, assistant call, its result, the note that the turn ended early, user 2
        Assert.Equal("second turn saw 6 messages", second.Data.GetProperty("text").GetString());
    }
}
