using AgentOrchestrator.Tools.Invocation;
using AgentOrchestrator.Tools.Manifests;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Tools.Tests.Infrastructure;

/// <summary>Builds registries and reads the manifests the tests use.</summary>
internal static class TestTools
{
    public static string ManifestFolder => Path.Combine(AppContext.BaseDirectory, "manifests");

    public static string Sample(string fileName) => File.ReadAllText(Path.Combine(ManifestFolder, fileName));

    public static string Fixture(string fileName) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", fileName));

    /// <summary>Options allowing <paramref name="allowedOrigins"/>, by default the origins the sample and test manifests name.</summary>
    public static AgentToolsOptions Options(params string[] allowedOrigins)
    {
        var options = new AgentToolsOptions();
        foreach (var origin in allowedOrigins.Length == 0 ? ["http://localhost:5080", "http://127.0.0.1:5080", "http://127.0.0.1:5090"] : allowedOrigins)
        {
            options.AllowedOrigins.Add(origin);
        }

        return options;
    }

    public static ToolManifestParser Parser(AgentToolsOptions? options = null, params IToolHandler[] handlers) =>
        new(Microsoft.Extensions.Options.Options.Create(options ?? Options()), handlers);

    public static ToolRegistry Registry(AgentToolsOptions? options = null, params IToolHandler[] handlers)
    {
        options ??= Options();
        return new(Parser(options, handlers), options: Wrap(options));
    }

    /// <summary>A registry holding the two sample manifests.</summary>
    public static ToolRegistry SampleRegistry(AgentToolsOptions? options = null)
    {
        var registry = Registry(options);
        var result = registry.Apply([new ManifestChange("crm.json", Sample("crm.json")), new ManifestChange("billing.json", Sample("billing.json"))]);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return registry;
    }

    public static IOptions<AgentToolsOptions> Wrap(AgentToolsOptions options) => Microsoft.Extensions.Options.Options.Create(options);
}
