using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.AI;
using Newtonsoft.Json;
using static AgentOrchestrator.Agents.Tests.Infrastructure.ScriptedTestModel;

namespace AgentOrchestrator.Agents.Tests.Sessions;

/// <summary>Sessions with many turns stay small: continue-as-new compacts them, and history per turn does not grow.</summary>
public sealed class LongSessionTests
{
    private static Func<ModelView, ChatMessage>[] Echo() =>
        [Call("crm_find_contacts", """{"email":"nobody@example.com"}""", "f1"), v => new ChatMessage(ChatRole.Assistant, $"turn {v.Turn} saw {v.Messages.Count} messages")];

    [Fact]
    public async Task ManyTurns_ContinueAsNew_KeepsTranscriptUsageAndHistorySmall()
    {
        var model = new ScriptedTestModel(Enumerable.Range(0, 7).Select(_ => Echo()).ToArray());
        await using var harness = await AgentHarness.StartAsync(model, configure: s => s["Agents:Session:TurnsPerGeneration"] = "3");
        var session = await harness.Client.StartSessionAsync("client-a", "message 1");
        await harness.WaitForTurnAsync(session.SessionId, 1);
        Assert.Equal(0, await GenerationAsync(harness, session.SessionId));
        var historyBytes = new List<int> { await HistoryBytesAsync(harness, session.SessionId) };

        for (var turn = 2; turn <= 7; turn++)
        {
            await harness.Client.SendMessageAsync(session.SessionId, $"message {turn}");
            var completed = await harness.WaitForTurnAsync(session.SessionId, turn);

            // The model sees the whole conversation although the orchestration's history was compacted:
            // system + (user, assistant call, tool result, assistant answer) per earlier turn + this turn's first three.
            Assert.Equal($"turn {turn} saw {1 + (4 * (turn - 1)) + 3} messages", completed.Data.GetProperty("text").GetString());
            historyBytes.Add(await HistoryBytesAsync(harness, session.SessionId));
        }

        var status = await harness.WaitForStatusAsync(session.SessionId, s => s.Progress.Phase == SessionPhases.Idle && s.Progress.Turn == 7);
        Assert.Equal(2, await GenerationAsync(harness, session.SessionId)); // continued as new after turns 3 and 6
        Assert.Equal(7, status.Progress.Turn);
        Assert.Equal(7 * 2 * 100, status.Progress.InputTokens);
        Assert.True(historyBytes.Max() < 3 * historyBytes[0] + 4096, $"history bytes per generation: {string.Join(", ", historyBytes)}");
    }

    [Fact]
    public async Task EndSession_AfterTurn_CompletesAndRefusesMoreInput()
    {
        var model = new ScriptedTestModel([Say("hello")]);
        await using var harness = await AgentHarness.StartAsync(model);
        var session = await harness.Client.StartSessionAsync("client-a", "hi");
        await harness.WaitForTurnAsync(session.SessionId, 1);

        await harness.Client.EndSessionAsync(session.SessionId);
        await harness.WaitForEventAsync(session.SessionId, SessionEventKinds.SessionEnded);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var done = await harness.Durable.WaitForInstanceCompletionAsync(session.SessionId, cancellation: wait.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        await Assert.ThrowsAsync<SessionClosedException>(() => harness.Client.SendMessageAsync(session.SessionId, "still there?"));
        await Assert.ThrowsAsync<SessionNotFoundException>(() => harness.Client.SendMessageAsync("s-missing", "hello"));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.StartSessionAsync("client-a", new string('x', AgentSessionClient.MaxMessageLength + 1)));
    }

    private static async Task<int> HistoryBytesAsync(AgentHarness harness, string sessionId)
        => JsonConvert.SerializeObject(await harness.Durable.GetOrchestrationHistoryAsync(sessionId)).Length;

    private static async Task<int> GenerationAsync(AgentHarness harness, string sessionId)
        => (await harness.Durable.GetInstanceAsync(sessionId, getInputsAndOutputs: true))!.ReadInputAs<SessionInput>()!.Carry?.Generation ?? 0;
}
