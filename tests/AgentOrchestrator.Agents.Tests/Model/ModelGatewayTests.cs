using AgentOrchestrator.Agents.Model;
using AgentOrchestrator.FakeOpenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrchestrator.Agents.Tests.Model;

/// <summary>The gateway drives the real Azure.AI.OpenAI client against a chat-completions server on loopback.</summary>
public sealed class ModelGatewayTests
{
    [Fact]
    public async Task Stream_PrimaryKeepsAnswering429_FallsBackAndReportsDeploymentAndCost()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue("primary", FakeReply.Error(429, "0"), FakeReply.Error(429, "0"));
        server.Respond = _ => FakeReply.Say("Hello from the backup deployment.");
        using var gateway = Gateway(server, new ImmediateTimeProvider());

        var response = await gateway.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]).ToChatResponseAsync();

        Assert.Equal("Hello from the backup deployment.", response.Text);
        Assert.Equal(["primary", "primary", "backup"], server.Requests.Select(r => r.Deployment));
        Assert.Equal("backup", response.AdditionalProperties?["agentorchestrator.deployment"]);
        Assert.Equal((50 * 2m + 18 * 8m) / 1_000_000m, response.AdditionalProperties?["agentorchestrator.cost"]);
    }

    [Fact]
    public async Task Response_429WithRetryAfter_WaitsWhatTheServiceAskedThenSucceeds()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue("primary", FakeReply.Error(429, "7"), FakeReply.Say("done"));
        var clock = new ImmediateTimeProvider();
        using var gateway = Gateway(server, clock);

        var response = await gateway.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal("done", response.Text);
        Assert.Contains(TimeSpan.FromSeconds(7), clock.Waits);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Stream_ToolCallArgumentsInFragments_ArriveWhole()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue("primary", FakeReply.Call(("call_1", "crm_create_contact", """{"name":"Ada Lovelace","email":"ada@example.com"}"""), ("call_2", "crm_find_contacts", """{"email":"x@example.com"}""")));
        using var gateway = Gateway(server, new ImmediateTimeProvider());

        var response = await gateway.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "add Ada")]).ToChatResponseAsync();

        var calls = response.Messages.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).ToList();
        Assert.Equal(["call_1", "call_2"], calls.Select(c => c.CallId));
        Assert.Equal("ada@example.com", calls[0].Arguments!["email"]?.ToString());
        Assert.True(server.Requests[0].Stream);
    }

    [Fact]
    public async Task Response_MalformedBody_FailsClearlyWithoutFallback()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue("primary", new FakeReply { Malformed = true });
        using var gateway = Gateway(server, new ImmediateTimeProvider());

        await Assert.ThrowsAnyAsync<Exception>(() => gateway.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));
        Assert.Single(server.Requests);
    }

    [Fact]
    public void AddModelGateway_NoEndpoint_UsesTheOfflineDemoModel()
    {
        using var provider = new ServiceCollection().AddLogging().AddModelGateway(new ConfigurationBuilder().Build()).BuildServiceProvider();

        Assert.IsType<Demo.OfflineDemoChatClient>(provider.GetRequiredService<IChatClient>());
    }

    internal static IChatClient Gateway(FakeOpenAIServer server, TimeProvider clock, int maxAttempts = 2)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agents:Model:Provider"] = "AzureOpenAI",
            ["Agents:Model:Endpoint"] = server.Endpoint.ToString(),
            ["Agents:Model:Deployments:0"] = "primary",
            ["Agents:Model:Deployments:1"] = "backup",
            ["Agents:Model:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agents:Model:Prices:backup:InputPerMillion"] = "2",
            ["Agents:Model:Prices:backup:OutputPerMillion"] = "8",
            ["MODEL_API_KEY"] = "test-key",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(clock).AddModelGateway(configuration);
        return services.BuildServiceProvider().GetRequiredService<IChatClient>();
    }
}
