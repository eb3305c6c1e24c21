using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using static AgentOrchestrator.Agents.Tests.Infrastructure.SampleScripts;
using static AgentOrchestrator.Agents.Tests.Infrastructure.ScriptedTestModel;
using static AgentOrchestrator.Agents.Tests.Sessions.SagaScenarioTests;

namespace AgentOrchestrator.Agents.Tests.Sessions;

/// <summary>A client that loses a response and retries never starts a second session, a second turn or a second charge.</summary>
public sealed class IdempotencyScenarioTests
{
    [Fact]
    public async Task StartSession_RetriedWithTheSameKeyAndMessage_ReturnsTheFirstSessionAndChargesOnce()
    {
        await using var harness = await AgentHarness.StartAsync(ChargeChain(GoodCard, "Charged."));

        var first = await harness.Client.StartSessionAsync("client-a", "Charge Ada 42 EUR.", idempotencyKey: "order-17");
        await harness.WaitForTurnAsync(first.SessionId, 1);
        var retry = await harness.Client.StartSessionAsync("client-a", "Charge Ada 42 EUR.", idempotencyKey: "order-17");

        Assert.True(first.Created);
        Assert.False(retry.Created);
        Assert.Equal(first.SessionId, retry.SessionId);
        var events = await harness.EventsAsync(first.SessionId);
        Assert.Single(events, e => e.Kind == SessionEventKinds.TurnStarted);
        var payments = Items(await harness.Services.GetJsonAsync($"/billing/payments?invoiceId={ResultId(events, "c2")}"));
        Assert.Equal(1, payments.GetArrayLength());
    }

    [Fact]
    public async Task StartSession_SameKeyOtherMessage_IsRefusedAndStartsNothing()
    {
        await using var harness = await AgentHarness.StartAsync(new ScriptedTestModel([Say("hello")]));
        var first = await harness.Client.StartSessionAsync("client-a", "hello", idempotencyKey: "k-1");

        var error = await Assert.ThrowsAsync<IdempotencyKeyReusedException>(
            () => harness.Client.StartSessionAsync("client-a", "something else", idempotencyKey: "k-1"));

        Assert.Contains("k-1", error.Message, StringComparison.Ordinal);
        var sessions = await harness.Client.ListSessionsAsync(new SessionQuery());
        Assert.Equal([first.SessionId], sessions.Sessions.Select(s => s.SessionId));
        // Another owner's same key is another session.
        var other = await harness.Client.StartSessionAsync("client-b", "something else", idempotencyKey: "k-1");
        Assert.NotEqual(first.SessionId, other.SessionId);
    }

    [Fact]
    public async Task SendMessage_ResentWithTheSameId_StartsNoSecondTurnAndReturnsTheFirstAnswer()
    {
        var model = new ScriptedTestModel([Say("first answer")], [Say("second answer")], [Say("third answer")]);
        await using var harness = await AgentHarness.StartAsync(model);
        var session = await harness.Client.StartSessionAsync("client-a", "hi");
        await harness.WaitForTurnAsync(session.SessionId, 1);

        var sent = await harness.Client.SendMessageAsync(session.SessionId, "what is new?", "m-42");
        var resentWhileRunning = await harness.Client.SendMessageAsync(session.SessionId, "what is new?", "m-42");
        await harness.WaitForTurnAsync(session.SessionId, 2);
        var resentAfter = await harness.Client.SendMessageAsync(session.SessionId, "what is new?", "m-42");

        Assert.False(sent.Duplicate);
        Assert.True(resentWhileRunning.Duplicate);
        Assert.True(resentAfter.Duplicate);
        Assert.Equal(2, resentAfter.Turn);
        Assert.Equal("second answer", resentAfter.Answer);
        await harness.Client.SendMessageAsync(session.SessionId, "and now?");
        await harness.WaitForTurnAsync(session.SessionId, 3);
        var turns = (await harness.EventsAsync(session.SessionId)).Where(e => e.Kind == SessionEventKinds.TurnStarted).ToList();
        Assert.Equal(["m-1", "m-42", turns[2].Data.GetProperty("messageId").GetString()], turns.Select(t => t.Data.GetProperty("messageId").GetString()));
        Assert.Equal(3, model.Calls);
    }

    [Fact]
    public async Task SendMessage_SameIdOtherText_IsRefusedNamingTheId()
    {
        await using var harness = await AgentHarness.StartAsync(new ScriptedTestModel([Say("ok")], [Say("ok again")]));
        var session = await harness.Client.StartSessionAsync("client-a");
        await harness.Client.SendMessageAsync(session.SessionId, "charge 10 EUR", "m-7");

        var error = await Assert.ThrowsAsync<MessageIdReusedException>(() => harness.Client.SendMessageAsync(session.SessionId, "charge 1000 EUR", "m-7"));

        Assert.Contains("m-7", error.Message, StringComparison.Ordinal);
        await harness.WaitForTurnAsync(session.SessionId, 1);
        var started = Assert.Single(await harness.EventsAsync(session.SessionId), e => e.Kind == SessionEventKinds.TurnStarted);
        Assert.Equal("charge 10 EUR", started.Data.GetProperty("text").GetString());
    }
}
