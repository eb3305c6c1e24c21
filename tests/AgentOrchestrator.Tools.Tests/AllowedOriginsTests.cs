using AgentOrchestrator.Tools.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Tools.Tests;

/// <summary>HTTP tools reach only allow-listed origins (scheme, host and port); by default, the embedded services' own.</summary>
public sealed class AllowedOriginsTests
{
    private const string Shop = """
        {
          "service": "shop",
          "http": { "baseUrl": "http://127.0.0.1:5090/shop" },
          "tools": [
            {
              "name": "shop_stock_level",
              "version": "1.0.0",
              "description": "Reads how many items of a product are in stock.",
              "parameters": { "type": "object", "properties": { "sku": { "type": "string" } }, "required": ["sku"], "additionalProperties": false },
              "binding": { "http": { "method": "GET", "path": "/stock/{sku}" } },
              "effects": { "readOnly": true }
            }
          ]
        }
        """;

    [Theory]
    [InlineData("http://127.0.0.1:5081/crm", "origin 'http://127.0.0.1:5081' is not on the allow-list")]
    [InlineData("https://127.0.0.1:5080/crm", "origin 'https://127.0.0.1:5080' is not on the allow-list")]
    public void Parse_BaseUrlOnTheAllowedHostWithAnotherPortOrScheme_IsRefused(string baseUrl, string reason)
    {
        var options = TestTools.Options("http://127.0.0.1:5080");
        options.Services["crm"] = new ToolServiceOptions { BaseUrl = new Uri(baseUrl) };

        var error = Assert.Single(TestTools.Parser(options).Parse(TestTools.Sample("crm.json"), "crm.json").Errors);

        Assert.Equal("/http/baseUrl", error.Pointer);
        Assert.StartsWith(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAgentTools_NoOriginsConfigured_AllowsExactlyTheOriginOfTheConfiguredServices()
    {
        await using var provider = Provider(new()
        {
            ["AgentTools:Services:crm:BaseUrl"] = "http://127.0.0.1:5080/samples/crm",
            ["AgentTools:Services:billing:BaseUrl"] = "http://127.0.0.1:5080/samples/billing",
        });
        var registry = provider.GetRequiredService<ToolRegistry>();

        var samples = registry.Apply([new ManifestChange("crm.json", TestTools.Sample("crm.json")), new ManifestChange("billing.json", TestTools.Sample("billing.json"))]);
        var elsewhere = registry.Register(Shop, "runtime:shop");

        Assert.True(samples.Succeeded, string.Join("; ", samples.Errors));
        Assert.Equal(
            "runtime:shop: /http/baseUrl: origin 'http://127.0.0.1:5090' is not on the allow-list (AgentTools:AllowedOrigins is empty, "
            + "so only the origins of AgentTools:Services:*:BaseUrl are allowed: http://127.0.0.1:5080)",
            Assert.Single(elsewhere.Errors).ToString());
    }

    [Fact]
    public async Task AddAgentTools_OriginConfigured_AllowsItInsteadOfTheServicesOrigin()
    {
        await using var provider = Provider(new()
        {
            ["AgentTools:AllowedOrigins:0"] = "http://127.0.0.1:5090/",
            ["AgentTools:Services:crm:BaseUrl"] = "http://127.0.0.1:5080/samples/crm",
        });

        var result = provider.GetRequiredService<ToolRegistry>().Register(Shop, "runtime:shop");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
    }

    [Theory]
    [InlineData("AgentTools:AllowedOrigins:1", "127.0.0.1", "AgentTools:AllowedOrigins:1 '127.0.0.1' is a bare host, not an origin")]
    [InlineData("AgentTools:AllowedOrigins:1", "localhost:5080", "AgentTools:AllowedOrigins:1 'localhost:5080' is a bare host, not an origin")]
    [InlineData("AgentTools:AllowedOrigins:1", "https://crm.example.com/api", "AgentTools:AllowedOrigins:1 'https://crm.example.com/api' must be an origin only")]
    [InlineData("AgentTools:AllowedOrigins:1", "ftp://files.example.com", "AgentTools:AllowedOrigins:1 'ftp://files.example.com' is not an http or https origin")]
    [InlineData("AgentTools:AllowedHosts:0", "127.0.0.1", "AgentTools:AllowedHosts:0 '127.0.0.1': AgentTools:AllowedHosts is replaced by AgentTools:AllowedOrigins")]
    public async Task StartAsync_AllowListEntryThatIsNotAnOrigin_StopsTheHostNamingTheEntry(string key, string value, string expected)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentTools:ManifestsPath"] = string.Empty,
            ["AgentTools:AllowedOrigins:0"] = "https://crm.example.com",
            [key] = value,
        });
        builder.Services.AddAgentTools(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        settings["AgentTools:ManifestsPath"] = string.Empty;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddAgentTools(configuration);
        return services.BuildServiceProvider();
    }
}
