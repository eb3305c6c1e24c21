using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using static AgentOrchestrator.Agents.Tests.Infrastructure.ScriptedTestModel;
using static AgentOrchestrator.Agents.Tests.Infrastructure.SampleScripts;
using static AgentOrchestrator.Agents.Tests.Sessions.SagaScenarioTests;

namespace AgentOrchestrator.Agents.Tests.Sessions;

/// <summary>A refund above 100 needs a person: approved, denied, or left to time out.</summary>
public sealed class ApprovalScenarioTests
{
    private static ScriptedTestModel RefundModel() => new([
        CreateContact(), CreateInvoice(amount: 150), Charge("4242424242424242", amount: 150),
        v => CallMessage(("billing_refund_payment", $$"""{"paymentId":"{{v.Id("c3")}}","amount":150,"reason":"requested_by_customer"}""", "r1")),
        v => new ChatMessage(ChatRole.Assistant, v.Results["r1"].TryGetProperty("error", out var error) ? $"Refund not done: {error.GetString()}." : "Refunded 150 EUR."),
    ]);

    [Fact]
    public async Task Refund_Approved_RunsAndModelConfirms()
    {
        await using var harness = await AgentHarness.StartAsync(RefundModel());
        var session = await harness.Client.StartSessionAsync("client-a", "Charge Ada 150 EUR, then refund it.");

        await harness.WaitForEventAsync(session.SessionId, SessionEventKinds.ApprovalNeeded);
        var waiting = await harness.Client.GetStatusAsync(session.SessionId);
        var pending = Assert.Single(waiting!.Progress.PendingApprovals);
        Assert.Equal("billing_refund_payment", pending.Tool);
        Assert.Equal(SessionPhases.AwaitingApproval, waiting.Progress.Phase);
        await harness.Client.DecideApprovalAsync(session.SessionId, new ApprovalDecision("r1", true, "supervisor-1"));
        var completed = await harness.WaitForTurnAsync(session.SessionId, 1);

        Assert.Equal("Refunded 150 EUR.", completed.Data.GetProperty("text").GetString());
        var paymentId = ResultId(await harness.EventsAsync(session.SessionId), "c3");
        var payment = await harness.Services.GetJsonAsync($"/billing/payments/{paymentId}");
        Assert.Equal(150m, payment.GetProperty("amountRefunded").GetDecimal());
        Assert.Empty((await harness.Client.GetStatusAsync(session.SessionId))!.Progress.PendingApprovals);
    }

    [Fact]
    public async Task Refund_Denied_NotRunAndModelToldWhy()
    {
        await using var harness = await AgentHarness.StartAsync(RefundModel());
        var session = await harness.Client.StartSessionAsync("client-a", "Charge Ada 150 EUR, then refund it.");

        await harness.WaitForEventAsync(session.SessionId, SessionEventKinds.ApprovalNeeded);
        await harness.Client.DecideApprovalAsync(session.SessionId, new ApprovalDecision("r1", false, "supervisor-1", "not eligible"));
        var completed = await harness.WaitForTurnAsync(session.SessionId, 1);

        Assert.Equal("Refund not done: approval_denied.", completed.Data.GetProperty("text").GetString());
        var events = await harness.EventsAsync(session.SessionId);
        var payment = await harness.Services.GetJsonAsync($"/billing/payments/{ResultId(events, "c3")}");
        Assert.Equal(0m, payment.GetProperty("amountRefunded").GetDecimal());
        var decided = Assert.Single(events, e => e.Kind == SessionEventKinds.ApprovalDecided);
        Assert.False(decided.Data.GetProperty("approved").GetBoolean());
        Assert.Equal("not eligible", decided.Data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Refund_NoDecisionInTime_CountsAsDeniedByTimeout()
    {
        await using var harness = await AgentHarness.StartAsync(RefundModel(), configure: s => s["Agents:Session:ApprovalTimeout"] = "00:00:01");
        var session = await harness.Client.StartSessionAsync("client-a", "Charge Ada 150 EUR, then refund it.");

        var completed = await harness.WaitForTurnAsync(session.SessionId, 1);

        Assert.Equal("Refund not done: approval_denied.", completed.Data.GetProperty("text").GetString());
        var decided = Assert.Single(await harness.EventsAsync(session.SessionId), e => e.Kind == SessionEventKinds.ApprovalDecided);
        Assert.Equal("timeout", decided.Data.GetProperty("by").GetString());
    }

    [Fact]
    public async Task DecideApproval_UnknownCall_IsRejectedAndChangesNothing()
    {
        await using var harness = await AgentHarness.StartAsync(RefundModel());
        var session = await harness.Client.StartSessionAsync("client-a", "Charge Ada 150 EUR, then refund it.");
        await harness.WaitForEventAsync(session.SessionId, SessionEventKinds.ApprovalNeeded);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.DecideApprovalAsync(session.SessionId, new ApprovalDecision("nope", true)));

        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.Single((await harness.Client.GetStatusAsync(session.SessionId))!.Progress.PendingApprovals);
    }
}
