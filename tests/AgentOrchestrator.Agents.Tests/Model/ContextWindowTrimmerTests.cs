using AgentOrchestrator.Agents.Model;
using AgentOrchestrator.FakeOpenAI;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Tests.Model;

/// <summary>Token counting and trimming of older turns.</summary>
public sealed class ContextWindowTrimmerTests
{
    private static readonly ContextWindowTrimmer Trimmer = new(TokenCounter.Default);

    [Fact]
    public void Count_Text_MatchesTheO200kEncoding()
    {
        Assert.Equal(2, TokenCounter.Default.Count("Hello world"));
    }

    [Fact]
    public void Trim_ConversationWithinBudget_IsSentUnchanged()
    {
        var conversation = LongConversation(turns: 2);

        var result = Trimmer.Trim(conversation, 10_000, summarize: true);

        Assert.Same(conversation, result.Messages);
        Assert.Equal(0, result.DroppedMessages);
    }

    [Fact]
    public void Trim_OverBudget_KeepsSystemPromptAndNewestTurnsAndNeverOrphansAToolResult()
    {
        var conversation = LongConversation(turns: 12);
        var budget = TokenCounter.Default.Count(conversation) / 3;

        var result = Trimmer.Trim(conversation, budget, summarize: false);

        Assert.True(result.FitsBudget);
        Assert.True(result.TokenCount <= budget);
        Assert.True(result.DroppedMessages > 0);
        Assert.Equal("You are the CRM assistant.", result.Messages[0].Text);
        Assert.Equal(conversation[^1], result.Messages[^1]);
        AssertEveryToolResultFollowsItsCall(result.Messages);
        Assert.NotEqual(ChatRole.Tool, result.Messages[1].Role);
    }

    [Fact]
    public void Trim_EveryBudget_NeverSplitsACallFromItsResult()
    {
        var conversation = LongConversation(turns: 6);
        var total = TokenCounter.Default.Count(conversation);

        for (var budget = 20; budget < total; budget += 7)
        {
            var result = Trimmer.Trim(conversation, budget, summarize: true);
            AssertEveryToolResultFollowsItsCall(result.Messages);
            Assert.Equal(conversation[^1], result.Messages[^1]);
        }
    }

    [Fact]
    public void Trim_WithSummary_PutsANoteSayingWhatWasLeftOut()
    {
        var conversation = LongConversation(turns: 12);

        var result = Trimmer.Trim(conversation, TokenCounter.Default.Count(conversation) / 2, summarize: true);

        var note = result.Messages[1];
        Assert.Equal(ChatRole.System, note.Role);
        Assert.Contains($"{result.DroppedMessages} earlier message(s)", note.Text, StringComparison.Ordinal);
        Assert.Contains("crm_create_contact", note.Text, StringComparison.Ordinal);
        Assert.True(result.TokenCount <= TokenCounter.Default.Count(conversation) / 2);
    }

    [Fact]
    public async Task GetResponseAsync_ThroughTheGateway_SendsTheTrimmedConversation()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue("primary", FakeResponse.TextAnswer("ok"));
        var conversation = LongConversation(turns: 20);
        await using var gateway = GatewayHarness.Create(server, new Dictionary<string, string?>
        {
            ["ContextWindowTokens"] = "700",
            ["ReservedOutputTokens"] = "100",
        });

        await gateway.Client.GetResponseAsync(conversation).WaitAsync(GatewayHarness.Timeout);

        var sent = server.Requests[0].Messages;
        Assert.InRange(sent.Count, 3, conversation.Count - 1);
        Assert.Equal(("system", "You are the CRM assistant."), (sent[0].Role, sent[0].Content));
        Assert.StartsWith("[Context note]", sent[1].Content, StringComparison.Ordinal);
        Assert.Equal(conversation[^1].Text, sent[^1].Content);
        var callIds = sent.SelectMany(m => m.ToolCalls).Select(c => c.Id).ToHashSet();
        Assert.All(sent.Where(m => m.Role == "tool"), m => Assert.Contains(m.ToolCallId!, callIds));
    }

    private static void AssertEveryToolResultFollowsItsCall(IReadOnlyList<ChatMessage> messages)
    {
        var calls = new HashSet<string>();
        foreach (var message in messages)
        {
            foreach (var result in message.Contents.OfType<FunctionResultContent>())
            {
                Assert.Contains(result.CallId, calls);
            }

            foreach (var call in message.Contents.OfType<FunctionCallContent>())
            {
                calls.Add(call.CallId);
            }
        }

        // And no call lost its result: every kept call's result is kept too.
        var results = messages.SelectMany(m => m.Contents.OfType<FunctionResultContent>()).Select(r => r.CallId).ToHashSet();
        Assert.All(calls, c => Assert.Contains(c, results));
    }

    /// <summary>System prompt, then per turn: a user request, an assistant message calling two tools, their two results,
    /// and the assistant's answer; ends with a new user request.</summary>
    internal static List<ChatMessage> LongConversation(int turns)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, "You are the CRM assistant.") };
        for (var t = 0; t < turns; t++)
        {
            messages.Add(new ChatMessage(ChatRole.User, $"Turn {t}: create a contact for Person {t} person{t}@example.com and note that they called about order {t}."));
            messages.Add(new ChatMessage(ChatRole.Assistant,
            [
                new FunctionCallContent($"c{t}a", "crm_create_contact", new Dictionary<string, object?> { ["name"] = $"Person {t}", ["email"] = $"person{t}@example.com" }),
                new FunctionCallContent($"c{t}b", "crm_add_note", new Dictionary<string, object?> { ["contactId"] = $"ct_{t}", ["text"] = $"Called about order {t}" }),
            ]));
            messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent($"c{t}a", $$"""{"id":"ct_{{t}}","name":"Person {{t}}"}""")]));
            messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent($"c{t}b", $$"""{"id":"nt_{{t}}"}""")]));
            messages.Add(new ChatMessage(ChatRole.Assistant, $"Created Person {t} (ct_{t}) and added the note."));
        }

        messages.Add(new ChatMessage(ChatRole.User, "And now, what did we do in the last turn?"));
        return messages;
    }
}
