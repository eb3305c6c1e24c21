using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using static AgentOrchestrator.Agents.Tests.Infrastructure.ScriptedTestModel;

namespace AgentOrchestrator.Agents.Tests.Sessions;

/// <summary>Calls the model gets wrong go back to it as tool errors it can act on.</summary>
public sealed class RepairScenarioTests
{
    [Fact]
    public async Task InvalidArguments_ModelRepairsThem_CallRunsOnce()
    {
        var model = new ScriptedTestModel([
            Call("crm_create_contact", """{"name":"Ada Lovelace"}""", "bad"),
            v => v.Results["bad"].GetProperty("error").GetString() == "invalid_arguments"
                ? CallMessage(("crm_create_contact", """{"name":"Ada Lovelace","email":"ada@example.com"}""", "good"))
                : new ChatMessage(ChatRole.Assistant, "unexpected"),
            Say("Created."),
        ]);
        await using var harness = await AgentHarness.StartAsync(model);

        var session = await harness.Client.StartSessionAsync("client-a", "Add Ada.");
        var completed = await harness.WaitForTurnAsync(session.SessionId, 1);

        Assert.Equal("Created.", completed.Data.GetProperty("text").GetString());
        var events = await harness.EventsAsync(session.SessionId);
        var rejected = Assert.Single(events, e => e.Kind == SessionEventKinds.ToolRejected);
        Assert.Contains("email", rejected.Data.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        Assert.Single(events, e => e.Kind == SessionEventKinds.ToolCompleted);
        var contacts = await harness.Services.GetJsonAsync("/crm/contacts?email=ada@example.com");
        Assert.Equal(1, SagaScenarioTests.Items(contacts).GetArrayLength());
    }

    [Fact]
    public async Task HallucinatedTool_ModelToldWhatExists_NothingRuns()
    {
        var model = new ScriptedTestModel([
            Call("crm_merge_contacts", """{"a":"x","b":"y"}""", "h1"),
            v => new ChatMessage(ChatRole.Assistant, v.Results["h1"].GetProperty("details")[0].GetString()!.Contains("crm_create_contact", StringComparison.Ordinal) ? "I cannot merge contacts." : "?"),
        ]);
        await using var harness = await AgentHarness.StartAsync(model);

        var session = await harness.Client.StartSessionAsync("client-a", "Merge the two Adas.");
        var completed = await harness.WaitForTurnAsync(session.SessionId, 1);

        Assert.Equal("I cannot merge contacts.", completed.Data.GetProperty("text").GetString());
        var events = await harness.EventsAsync(session.SessionId);
        Assert.Contains("no tool named 'crm_merge_contacts'", Assert.Single(events, e => e.Kind == SessionEventKinds.ToolRejected).Data.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e.Kind == SessionEventKinds.ToolStarted);
    }

    [Fact]
    public async Task InvalidCallsBeyondRepairLimit_TurnStopsAndRollsBack()
    {
        var model = new ScriptedTestModel([
            SampleScripts.CreateContact(),
            Call("crm_create_contact", "{}", "x1"),
            Call("crm_create_contact", "{}", "x2"),
        ]);
        await using var harness = await AgentHarness.StartAsync(model, configure: s => s["Agents:Session:RepairLimit"] = "1");

        var session = await harness.Client.StartSessionAsync("client-a", "Add Ada.");
        var completed = await harness.WaitForTurnAsync(session.SessionId, 1);

        Assert.Equal("limit", completed.Data.GetProperty("outcome").GetString());
        Assert.Contains("crm_create_contact undone by crm_delete_contact", completed.Data.GetProperty("text").GetString(), StringComparison.Ordinal);
        var contacts = await harness.Services.GetJsonAsync("/crm/contacts?email=ada@example.com");
        Assert.Equal(0, SagaScenarioTests.Items(contacts).GetArrayLength());
    }
}
