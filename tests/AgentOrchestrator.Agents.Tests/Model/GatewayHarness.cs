using AgentOrchestrator.Agents.Model;
using AgentOrchestrator.FakeOpenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrchestrator.Agents.Tests.Model;

/// <summary>The gateway as the host registers it, pointed at a <see cref="FakeOpenAIServer"/>.</summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private GatewayHarness(ServiceProvider services)
    {
        Services = services;
        Client = services.GetRequiredService<IChatClient>();
    }

    public ServiceProvider Services { get; }

    public IChatClient Client { get; }

    /// <summary>Builds the gateway. Defaults: Azure OpenAI at the fake server, deployments "primary" then "secondary",
    /// quick real-time backoff; <paramref name="settings"/> override or add keys under ModelGateway
    /// (a null value removes one; any Deployments key replaces the default list).</summary>
    public static GatewayHarness Create(FakeOpenAIServer server, IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["ModelGateway:Provider"] = "AzureOpenAI",
            ["ModelGateway:Endpoint"] = server.BaseUrl.ToString(),
            ["ModelGateway:ApiKey"] = "test-key",
            ["ModelGateway:Deployments:0"] = "primary",
            ["ModelGateway:Deployments:1"] = "secondary",
            ["ModelGateway:BaseRetryDelay"] = "00:00:00.010",
            ["ModelGateway:MaxRetryDelay"] = "00:00:05",
        };
        settings ??= new Dictionary<string, string?>();
        if (settings.Keys.Any(k => k.StartsWith("Deployments:", StringComparison.Ordinal)))
        {
            values.Remove("ModelGateway:Deployments:0");
            values.Remove("ModelGateway:Deployments:1");
        }

        foreach (var (key, value) in settings)
        {
            if (value is null)
            {
                values.Remove("ModelGateway:" + key);
            }
            else
            {
                values["ModelGateway:" + key] = value;
            }
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddModelGateway(configuration.GetSection("ModelGateway"));
        return new GatewayHarness(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
    }

    public static List<ChatMessage> Conversation(string userText) =>
        [new(ChatRole.System, "You are a test."), new(ChatRole.User, userText)];

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
