using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using AgentOrchestrator.Agents.Tests.Model;
using AgentOrchestrator.FakeOpenAI;

namespace AgentOrchestrator.Agents.Tests.Sessions;

/// <summary>A session whose model is the real Azure.AI.OpenAI client behind the gateway, talking to a loopback server.</summary>
public sealed class ModelFallbackScenarioTests
{
    [Fact]
    public async Task Turn_PrimaryDeploymentThrottled_BackupAnswersAndTurnCompletes()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        // The first call: two 429s use up the primary's attempts, the backup asks for a tool. The second call: the
        // primary is healthy again and answers.
        server.Enqueue("primary", FakeResponse.TooManyRequests(TimeSpan.Zero), FakeResponse.TooManyRequests(TimeSpan.Zero), FakeResponse.TextAnswer("There is no contact with that address yet."));
        server.Enqueue("backup", FakeResponse.ToolCallAnswer(new FakeToolCall("call_1", "crm_find_contacts", """{"email":"ada@example.com"}""")));
        await using var gateway = GatewayHarness.Create(server, new Dictionary<string, string?>
        {
            ["Deployments:0"] = "primary",
            ["Deployments:1"] = "backup",
            ["MaxAttempts"] = "2",
        });
        await using var harness = await AgentHarness.StartAsync(gateway.Client);

        var session = await harness.Client.StartSessionAsync("client-a", "Is ada@example.com a customer?");
        var completed = await harness.WaitForTurnAsync(session.SessionId, 1);

        Assert.Equal("There is no contact with that address yet.", completed.Data.GetProperty("text").GetString());
        var events = await harness.EventsAsync(session.SessionId);
        var models = events.Where(e => e.Kind == SessionEventKinds.ModelCompleted).ToList();
        Assert.Equal(["backup", "primary"], models.Select(m => m.Data.GetProperty("deployment").GetString()));
        // The first answer took three requests (two throttled on the primary, then the backup); the second took one.
        Assert.Equal([3, 1], models.Select(m => m.Data.GetProperty("attempts").GetInt32()));
        Assert.Contains(events, e => e.Kind == SessionEventKinds.ModelDelta);

        // The model saw the tool declared, the pinned system prompt, and the tool's result on the second call.
        var first = server.RequestsFor("backup").Single();
        Assert.Contains("crm_find_contacts", first.ToolNames);
        Assert.Contains(session.SessionId, first.Messages[0].Content, StringComparison.Ordinal);
        Assert.Contains(server.Requests[^1].Messages, m => m.Role == "tool" && m.ToolCallId == "call_1");
    }
}
