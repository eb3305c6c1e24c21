using System.Runtime.CompilerServices;
using AgentOrchestrator.Agents.Activities;
using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using Microsoft.DurableTask;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrchestrator.Agents.Tests.Activities;

/// <summary>
/// The events an orchestration hands to a model or tool step (the turn's start, the user's message, the tool results)
/// are written with the step's first append: a chat client sees them while a slow model still thinks, and a step that
/// runs again neither loses them nor shows the model a message twice.
/// </summary>
public sealed class HandedEventsTests
{
    [Fact]
    public async Task Turn_ModelStillThinking_ClientAlreadySeesTheTurnStartAndTheMessage()
    {
        var model = new HangingModel(new ScriptedTestModel([ScriptedTestModel.Say("Hello Ada.")]), hangOnCall: 1);
        await using var harness = await AgentHarness.StartAsync(model);
        var session = await harness.Client.StartSessionAsync("client-a", "Hello?");
        await model.Hanging.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var started = await harness.WaitForEventAsync(session.SessionId, SessionEventKinds.TurnStarted);
        var whileThinking = await harness.EventsAsync(session.SessionId);
        model.Release.SetResult();
        await harness.WaitForTurnAsync(session.SessionId, 1);

        Assert.Equal(1, started.Data.GetProperty("turn").GetInt32());
        Assert.DoesNotContain(whileThinking, e => e.Kind == SessionEventKinds.ModelCompleted);
        var events = await harness.EventsAsync(session.SessionId);
        Assert.Single(events, e => e.Kind == SessionEventKinds.TurnStarted);
        Assert.True(
            events.First(e => e.Kind == SessionEventKinds.TurnStarted).Sequence < events.First(e => e.Kind == SessionEventKinds.ModelCompleted).Sequence,
            "turn.started comes before the model's answer");
    }

    [Fact]
    public async Task CallModel_RunAgainAfterItFailedMidStream_ShowsTheModelEachNewMessageOnceAndStoresThemOnce()
    {
        await using var harness = await AgentHarness.StartAsync(new ScriptedTestModel([]));
        var log = harness.HostServices.GetRequiredService<ISessionEventLog>();
        var model = new FailsOnceMidStream();
        var activity = ActivatorUtilities.CreateInstance<CallModelActivity>(harness.HostServices, model);
        var input = new ModelCallInput("s-handed", 1, 1, new SessionSettings { Incarnation = "i1" }, new TurnUsage(0, 0, 0))
        {
            Events =
            [
                new SessionLogEntry(SessionEventKinds.TurnStarted, """{"turn":1}""", DateTimeOffset.UtcNow, "turn-1-started"),
                new SessionLogEntry(TranscriptBuilder.Kind, SessionJson.Serialize(new TranscriptMessage("user", "Is Ada a customer?", Turn: 1)), DateTimeOffset.UtcNow, "t:1:1:in:0"),
            ],
        };

        // The first run streams part of an answer (its first write carries the handed events), then the model fails.
        await Assert.ThrowsAsync<HttpRequestException>(() => activity.RunAsync(new TestActivityContext(), input));
        var answer = await activity.RunAsync(new TestActivityContext(), input);
        var again = await activity.RunAsync(new TestActivityContext(), input);

        Assert.Equal("Yes, she is.", answer.Text);
        Assert.Equal("Yes, she is.", again.Text);
        Assert.Equal(2, model.Calls); // the third run found the recorded answer
        Assert.Single(model.LastMessages, m => m.Role == ChatRole.User && m.Text == "Is Ada a customer?");
        var stored = await log.ReadAsync("s-handed", 0, 100);
        Assert.Single(stored, r => r.Kind == SessionEventKinds.TurnStarted);
        Assert.Single(stored, r => r.Kind == TranscriptBuilder.Kind && r.Data.Contains("Is Ada a customer?", StringComparison.Ordinal));
        Assert.Equal(SessionEventKinds.TurnStarted, stored[0].Kind);
    }

    /// <summary>Streams 60 characters and then fails on its first call; answers on every later one.</summary>
    private sealed class FailsOnceMidStream : IChatClient
    {
        public int Calls { get; private set; }

        public IReadOnlyList<ChatMessage> LastMessages { get; private set; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException("The activity streams.");

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            LastMessages = [.. messages];
            Calls++;
            await Task.Yield();
            if (Calls == 1)
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, new string('x', 60));
                throw new HttpRequestException("connection reset mid-stream");
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, "Yes, she is.");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class TestActivityContext : TaskActivityContext
    {
        public override TaskName Name => new("Agents.CallModel");

        public override string InstanceId => "s-handed";
    }
}
