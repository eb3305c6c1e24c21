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
        server.Enqueue("primary", FakeReply.Error(429, "0"), FakeReply.Error(429, "0"));
        server.Respond = r => r.ToolResults == 0
            ? FakeReply.Call(("call_1", "crm_find_contacts", """{"email":"ada@example.com"}"""))
            : FakeReply.Say("There is no contact with that address yet.");
        await using var harness = await AgentHarness.StartAsync(ModelGatewayTests.Gateway(server, new ImmediateTimeProvider()));

        var session = await harness.Client.StartSessionAsync("client-a", "Is ada@example.com a customer?");
        var completed = await harness.WaitForTurnAsync(session.SessionId, 1);

        Assert.Equal("There is no contact with that address yet.", completed.Data.GetProperty("text").GetString());
        var models = (await harness.EventsAsync(session.SessionId)).Where(e => e.Kind == SessionEventKinds.ModelCompleted).ToList();
        // The first call fell back after two 429s; the next one found the primary healthy again.
        Assert.Equal(["backup", "primary"], models.Select(m => m.Data.GetProperty("deployment").GetString()));
        Assert.Contains(await harness.EventsAsync(session.SessionId), e => e.Kind == SessionEventKinds.ModelDelta);

        // The model saw the tool declared with its strict schema, and the tool's result on the second call.
        var first = server.Requests.First(r => r.Deployment == "backup").Body;
        Assert.Contains(first.GetProperty("tools").EnumerateArray(), t => t.GetProperty("function").GetProperty("name").GetString() == "crm_find_contacts");
        Assert.Equal(1, server.Requests[^1].ToolResults);
    }
}
