using System.Text.Json;
using AgentOrchestrator.Agents.Model;
using AgentOrchestrator.FakeOpenAI;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Tests.Model;

/// <summary>The gateway driving the real Azure.AI.OpenAI and OpenAI clients against the fake server on loopback Kestrel.</summary>
public sealed class ModelGatewayTests : IAsyncLifetime
{
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetResponseAsync_TextAnswer_ReturnsTextAndAnsweringDeployment()
    {
        _server.Enqueue("primary", FakeResponse.TextAnswer("Hello, Ada."));
        await using var gateway = GatewayHarness.Create(_server);

        var response = await gateway.Client.GetResponseAsync(GatewayHarness.Conversation("Hi"));

        Assert.Equal("Hello, Ada.", response.Text);
        Assert.Equal("primary", response.GetModelCallInfo()!.Deployment);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(("/openai/deployments/primary/chat/completions", false, "test-key"), (request.Path, request.Stream, request.ApiKey));
        Assert.Equal(["system", "user"], request.Messages.Select(m => m.Role));
        Assert.Equal("Hi", request.Messages[1].Content);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_TextAnswer_ArrivesInSeveralDeltasWithUsageAtTheEnd()
    {
        _server.Enqueue("primary", FakeResponse.TextAnswer("The contact was created.").WithUsage(1_000, 500));
        await using var gateway = GatewayHarness.Create(_server, new Dictionary<string, string?>
        {
            ["Prices:primary:InputPerMillion"] = "2.5",
            ["Prices:primary:OutputPerMillion"] = "10",
        });

        var updates = await gateway.Client.GetStreamingResponseAsync(GatewayHarness.Conversation("Create it")).ToListAsync();
        var response = updates.ToChatResponse();

        Assert.True(updates.Count(u => u.Text.Length > 0) >= 3, "text should arrive in several deltas");
        Assert.Equal("The contact was created.", response.Text);
        Assert.True(_server.Requests[0].Stream);
        Assert.True(_server.Requests[0].IncludeUsage);
        Assert.Equal(new ModelCallInfo("primary", "gpt-4o-fake", 1, 1_000, 500, 0.0075m), updates[^1].GetModelCallInfo());
        Assert.Equal(new ModelCallInfo("primary", "gpt-4o-fake", 1, 1_000, 500, 0.0075m), response.GetModelCallInfo());
    }

    [Fact]
    public async Task GetResponseAsync_UsageReported_CostComesFromThePriceTableByModelWhenDeploymentHasNone()
    {
        _server.Enqueue("primary", FakeResponse.TextAnswer("ok").WithUsage(2_000_000, 100_000));
        await using var gateway = GatewayHarness.Create(_server, new Dictionary<string, string?>
        {
            ["Prices:GPT-4O-FAKE:InputPerMillion"] = "1",
            ["Prices:gpt-4o-fake:OutputPerMillion"] = "4",
        });

        var response = await gateway.Client.GetResponseAsync(GatewayHarness.Conversation("Hi"));

        var info = response.GetModelCallInfo()!;
        Assert.Equal((2_000_000L, 100_000L, 2.4m), (info.InputTokens, info.OutputTokens, info.Cost));
        Assert.Equal(2_000_000, response.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task GetModelCallInfo_ResponseStoredAsJsonAndReadBack_StillCarriesUsageCostAndDeployment()
    {
        _server.Enqueue("primary", FakeResponse.TextAnswer("ok").WithUsage(1_000, 500));
        await using var gateway = GatewayHarness.Create(_server, new Dictionary<string, string?> { ["Prices:primary:OutputPerMillion"] = "10" });
        var response = await gateway.Client.GetResponseAsync(GatewayHarness.Conversation("Hi"));

        var json = JsonSerializer.Serialize(response, AIJsonUtilities.DefaultOptions);
        var stored = JsonSerializer.Deserialize<ChatResponse>(json, AIJsonUtilities.DefaultOptions)!;

        Assert.Equal(new ModelCallInfo("primary", "gpt-4o-fake", 1, 1_000, 500, 0.005m), stored.GetModelCallInfo());
    }

    [Fact]
    public async Task GetResponseAsync_NoPriceConfigured_CostIsNullButTokensAreKept()
    {
        _server.Enqueue("primary", FakeResponse.TextAnswer("ok").WithUsage(12, 3));
        await using var gateway = GatewayHarness.Create(_server);

        var info = (await gateway.Client.GetResponseAsync(GatewayHarness.Conversation("Hi"))).GetModelCallInfo()!;

        Assert.Equal((12L, 3L, (decimal?)null), (info.InputTokens, info.OutputTokens, info.Cost));
    }

    [Fact]
    public async Task GetResponseAsync_SeveralToolCalls_ArriveAsFunctionCallsWithParsedArguments()
    {
        _server.Enqueue("primary", FakeResponse.ToolCallAnswer(
            new FakeToolCall("call_1", "crm_create_contact", """{"name":"Ada Lovelace","email":"ada@example.com"}"""),
            new FakeToolCall("call_2", "crm_find_contacts", """{"name":"Ada"}""")));
        await using var gateway = GatewayHarness.Create(_server);

        var response = await gateway.Client.GetResponseAsync(GatewayHarness.Conversation("Create Ada"), ToolOptions());

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["call_1", "call_2"], calls.Select(c => c.CallId));
        Assert.Equal("ada@example.com", calls[0].Arguments!["email"]!.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal(["crm_create_contact", "crm_find_contacts"], _server.Requests[0].ToolNames);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ToolCallArgumentsInFragments_ArriveComplete()
    {
        _server.Enqueue("primary", FakeResponse.ToolCallAnswer(
            new FakeToolCall("call_a", "crm_create_contact", """{"name":"Ada Lovelace","email":"ada@example.com","company":"Analytical Engines Ltd"}"""),
            new FakeToolCall("call_b", "billing_create_invoice", """{"contactId":"ct_1","amount":42,"currency":"EUR","description":"Setup"}"""))
            .WithChunking(textChunkSize: 4, argumentFragmentSize: 3));
        await using var gateway = GatewayHarness.Create(_server);

        var response = await gateway.Client.GetStreamingResponseAsync(GatewayHarness.Conversation("Create Ada and bill her"), ToolOptions()).ToChatResponseAsync();

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["crm_create_contact", "billing_create_invoice"], calls.Select(c => c.Name));
        Assert.Equal("Analytical Engines Ltd", calls[0].Arguments!["company"]!.ToString());
        Assert.Equal(42, ((JsonElement)calls[1].Arguments!["amount"]!).GetInt32());
        Assert.Equal("primary", response.GetModelCallInfo()!.Deployment);
    }

    [Fact]
    public async Task GetResponseAsync_ToolResultsSentBack_ReachTheServerPairedWithTheirCalls()
    {
        _server.Enqueue("primary", FakeResponse.TextAnswer("Created."));
        await using var gateway = GatewayHarness.Create(_server);
        List<ChatMessage> conversation =
        [
            new(ChatRole.User, "Create Ada"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_1", "crm_create_contact", new Dictionary<string, object?> { ["name"] = "Ada" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", """{"id":"ct_1"}""")]),
        ];

        await gateway.Client.GetResponseAsync(conversation, ToolOptions());

        var sent = _server.Requests[0].Messages;
        Assert.Equal(("assistant", "call_1", "crm_create_contact"), (sent[1].Role, sent[1].ToolCalls[0].Id, sent[1].ToolCalls[0].Name));
        Assert.Equal(("tool", "call_1"), (sent[2].Role, sent[2].ToolCallId));
        Assert.Contains("ct_1", sent[2].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_OpenAICompatibleProvider_SendsDeploymentAsModelOnTheV1Route()
    {
        _server.Enqueue("llama-local", FakeResponse.TextAnswer("hi"));
        await using var gateway = GatewayHarness.Create(_server, new Dictionary<string, string?>
        {
            ["Provider"] = "OpenAICompatible",
            ["Endpoint"] = _server.OpenAIEndpoint.ToString(),
            ["ApiKey"] = null,
            ["Deployments:0"] = "llama-local",
        });

        var response = await gateway.Client.GetResponseAsync(GatewayHarness.Conversation("Hi"));

        Assert.Equal(("hi", "llama-local"), (response.Text, response.GetModelCallInfo()!.Deployment));
        Assert.Equal("/v1/chat/completions", _server.Requests[0].Path);
    }

    internal static ChatOptions ToolOptions() => new()
    {
        Tools =
        [
            AIFunctionFactory.CreateDeclaration("crm_create_contact", "Creates a contact.", JsonDocument.Parse("""{"type":"object","properties":{"name":{"type":"string"}}}""").RootElement),
            AIFunctionFactory.CreateDeclaration("crm_find_contacts", "Finds contacts.", JsonDocument.Parse("""{"type":"object","properties":{"name":{"type":"string"}}}""").RootElement),
        ],
    };
}
