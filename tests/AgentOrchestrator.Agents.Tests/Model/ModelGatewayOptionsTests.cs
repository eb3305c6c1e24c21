using AgentOrchestrator.Agents.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Agents.Tests.Model;

/// <summary>Settings are validated at start-up, with every problem named.</summary>
public sealed class ModelGatewayOptionsTests
{
    [Fact]
    public void Validate_AzureWithoutKeyOrDeployments_FailsAtStartNamingEachProblem()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Start(new Dictionary<string, string?>
        {
            ["Endpoint"] = "https://example.openai.azure.com/",
            ["MaxAttempts"] = "0",
        }));

        Assert.Contains("Deployments must list at least one", error.Message, StringComparison.Ordinal);
        Assert.Contains("ApiKey is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxAttempts must be between 1 and 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativePriceAndBadContextWindow_Fails()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Start(new Dictionary<string, string?>
        {
            ["Prices:gpt-4o:InputPerMillion"] = "-1",
            ["ContextWindowTokens"] = "1000",
            ["ReservedOutputTokens"] = "1000",
        }));

        Assert.Contains("Prices:gpt-4o", error.Message, StringComparison.Ordinal);
        Assert.Contains("ContextWindowTokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_AreScriptedAndValid()
    {
        var options = Start([]);

        Assert.Equal(ModelProvider.Scripted, options.EffectiveProvider);
        Assert.Equal((3, TimeSpan.FromSeconds(30), 128_000), (options.MaxAttempts, options.MaxRetryDelay, options.ContextWindowTokens));
    }

    [Fact]
    public void EffectiveProvider_EndpointWithoutProvider_IsAzureOpenAI()
    {
        var options = Start(new Dictionary<string, string?>
        {
            ["Endpoint"] = "https://example.openai.azure.com/", ["ApiKey"] = "k", ["Deployments:0"] = "gpt-4o", ["Deployments:1"] = "gpt-4o-mini",
        });

        Assert.Equal(ModelProvider.AzureOpenAI, options.EffectiveProvider);
        Assert.Equal(["gpt-4o", "gpt-4o-mini"], options.Deployments);
    }

    private static ModelGatewayOptions Start(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddModelGateway(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider.GetRequiredService<IOptions<ModelGatewayOptions>>().Value;
    }
}
