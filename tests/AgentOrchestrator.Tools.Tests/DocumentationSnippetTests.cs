using System.Text.Json;
using AgentOrchestrator.Tools.Invocation;
using AgentOrchestrator.Tools.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentOrchestrator.Tools.Tests;

/// <summary>The C# snippets of docs/MANIFESTS.md, run as written.</summary>
public sealed class DocumentationSnippetTests
{
    [Fact]
    public async Task AddHandler_ClockSnippetFromTheDocs_ServesTheHandlerTool()
    {
        var timeProvider = new FakeTimeProvider(DateTimeOffset.Parse("2025-06-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AgentTools:ManifestsPath"] = string.Empty }).Build();
        var services = new ServiceCollection().AddLogging();

        services.AddAgentTools(configuration)
            .AddHandler("clock.now", isReadOnly: true, (context, cancellationToken) =>
                Task.FromResult(JsonSerializer.SerializeToElement(new { utc = timeProvider.GetUtcNow() })))
            .AddHandler("ledger.append", isReadOnly: false, (context, cancellationToken) => Task.FromResult(JsonSerializer.SerializeToElement(new { })));

        await using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<ToolRegistry>();
        Assert.True(registry.Register(TestTools.Fixture("good-handler.json"), "runtime:local").Succeeded);
        using var arguments = JsonDocument.Parse("{}");
        var result = await provider.GetRequiredService<IToolInvoker>().InvokeAsync(registry.Current.Get("clock_now"), arguments.RootElement, "s1:t1:c1", CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("2025-06-01T10:00:00+00:00", result.Result.GetProperty("utc").GetString());
    }
}
