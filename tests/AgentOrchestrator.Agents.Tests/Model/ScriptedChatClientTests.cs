using System.Text.Json;
using AgentOrchestrator.Agents.Model;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrchestrator.Agents.Tests.Model;

/// <summary>The offline scripted model: deterministic answers from the conversation, scripts and the demo.</summary>
public sealed class ScriptedChatClientTests
{
    private const string Request = "Please create a contact for Ada Lovelace ada@example.com and charge 42 EUR";

    [Fact]
    public async Task GetResponseAsync_SameConversationTwice_GivesTheSameAnswer()
    {
        var model = new ScriptedChatClient();
        var conversation = new List<ChatMessage> { new(ChatRole.User, Request) };

        var first = await model.GetResponseAsync(conversation);
        var replay = await new ScriptedChatClient().GetResponseAsync(conversation);

        Assert.Equal(JsonSerializer.Serialize(first.Messages), JsonSerializer.Serialize(replay.Messages));
    }

    [Fact]
    public async Task GetResponseAsync_Script_PlaysTheStepMatchingTheAssistantAnswersSoFar()
    {
        var model = new ScriptedChatClient([ScriptedStep.Call("crm_find_contacts", """{"name":"Ada"}"""), ScriptedStep.Say("Found her.")]);
        var conversation = new List<ChatMessage> { new(ChatRole.User, "Find Ada") };

        var step1 = await model.GetResponseAsync(conversation);
        var again = await model.GetResponseAsync(conversation);
        conversation.AddMessages(step1);
        conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(Call(step1).CallId, """{"items":[]}""")]));
        var step2 = await model.GetResponseAsync(conversation);
        conversation.AddMessages(step2);

        Assert.Equal(("crm_find_contacts", "Ada"), (Call(step1).Name, Call(step1).Arguments!["name"]!.ToString()));
        Assert.Equal(Call(step1).CallId, Call(again).CallId);
        Assert.Equal("Found her.", step2.Text);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => model.GetResponseAsync(conversation));
        Assert.Contains("script has 2 step(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_AllToolsSucceed_CallsCrmThenBillingInOrderAndSumsUp()
    {
        var model = new ScriptedChatClient();
        var conversation = new List<ChatMessage> { new(ChatRole.System, "You are a test."), new(ChatRole.User, Request) };
        var results = new Dictionary<string, string>
        {
            ["crm_create_contact"] = """{"id":"ct_ada1","name":"Ada Lovelace","email":"ada@example.com"}""",
            ["billing_create_invoice"] = """{"id":"in_42","status":"open","amount":42}""",
            ["billing_charge_payment"] = """{"id":"py_7","invoiceId":"in_42","amount":42,"status":"succeeded"}""",
            ["billing_send_receipt"] = """{"id":"rc_1","invoiceId":"in_42","status":"sent"}""",
        };

        var calls = await RunAsync(model, conversation, results);

        Assert.Equal(["crm_create_contact", "billing_create_invoice", "billing_charge_payment", "billing_send_receipt"], calls.Select(c => c.Name));
        Assert.Equal("ct_ada1", calls[1].Arguments!["contactId"]!.ToString());
        Assert.Equal(("in_42", "4242424242424242"), (calls[2].Arguments!["invoiceId"]!.ToString(), calls[2].Arguments!["cardNumber"]!.ToString()));
        var summary = conversation[^1].Text;
        Assert.StartsWith("Done.", summary, StringComparison.Ordinal);
        Assert.Contains("ct_ada1", summary, StringComparison.Ordinal);
        Assert.Contains("42.00 EUR", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_ChargeDeclined_StopsAndReportsTheFailureAndTheRollBack()
    {
        var model = new ScriptedChatClient();
        var conversation = new List<ChatMessage> { new(ChatRole.User, Request.Replace("42 EUR", "42 EUR with card 4000000000000002", StringComparison.Ordinal)) };
        var results = new Dictionary<string, string>
        {
            ["crm_create_contact"] = """{"id":"ct_ada1"}""",
            ["billing_create_invoice"] = """{"id":"in_42","status":"open","amount":42}""",
            ["billing_charge_payment"] = """{"error":{"code":"card_declined","message":"The card was declined."}}""",
        };

        var calls = await RunAsync(model, conversation, results, afterFailure: "Rolled back, newest first: billing_void_invoice(in_42), crm_delete_contact(ct_ada1).");

        Assert.Equal(3, calls.Count);
        Assert.Equal("4000000000000002", calls[2].Arguments!["cardNumber"]!.ToString());
        var summary = conversation[^1].Text;
        Assert.Contains("Failed: charging the card ending 0002: card_declined: The card was declined.", summary, StringComparison.Ordinal);
        Assert.Contains("Rolled back, newest first: billing_void_invoice(in_42)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_UnknownRequest_ExplainsWhatItUnderstands()
    {
        var response = await new ScriptedChatClient().GetResponseAsync([new ChatMessage(ChatRole.User, "What's the weather?")]);

        Assert.Contains("scripted demo model", response.Text, StringComparison.Ordinal);
        Assert.Empty(response.Messages[0].Contents.OfType<FunctionCallContent>());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Text_ArrivesInSeveralDeltasThatAddUpToTheAnswer()
    {
        var model = new ScriptedChatClient();
        List<ChatMessage> conversation = [new(ChatRole.User, "Hello there")];

        var updates = await model.GetStreamingResponseAsync(conversation).ToListAsync();

        Assert.True(updates.Count(u => u.Text.Length > 0) >= 3);
        Assert.Equal((await model.GetResponseAsync(conversation)).Text, updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task AddModelGateway_NoEndpoint_UsesTheScriptedModelWithUsageAndDeployment()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddModelGateway(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Prices:scripted:InputPerMillion"] = "1000000",
        }).Build()).UseScript([ScriptedStep.Say("scripted hello")]);
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")]);

        Assert.Equal("scripted hello", response.Text);
        var info = response.GetModelCallInfo()!;
        Assert.Equal(("scripted", ScriptedChatClient.ModelName), (info.Deployment, info.ModelId));
        Assert.Equal(info.InputTokens, info.Cost);
    }

    private static FunctionCallContent Call(ChatResponse response) => response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();

    /// <summary>Plays the orchestration's part: runs the model, answers each tool call from <paramref name="results"/>,
    /// adds a note after a failed result, until the model answers in text.</summary>
    private static async Task<List<FunctionCallContent>> RunAsync(
        IChatClient model, List<ChatMessage> conversation, Dictionary<string, string> results, string? afterFailure = null)
    {
        var calls = new List<FunctionCallContent>();
        for (var step = 0; step < 10; step++)
        {
            var response = await model.GetResponseAsync(conversation);
            conversation.AddMessages(response);
            var requested = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (requested.Count == 0)
            {
                return calls;
            }

            foreach (var call in requested)
            {
                calls.Add(call);
                var result = results[call.Name];
                conversation.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, result)]));
                if (result.Contains("\"error\"", StringComparison.Ordinal) && afterFailure is not null)
                {
                    conversation.Add(new ChatMessage(ChatRole.System, afterFailure));
                }
            }
        }

        throw new InvalidOperationException("The scripted model did not finish within 10 steps.");
    }
}
