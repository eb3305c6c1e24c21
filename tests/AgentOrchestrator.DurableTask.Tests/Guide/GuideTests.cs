using AgentOrchestrator.DurableTask.Configuration;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentOrchestrator.DurableTask.Tests.Guide;

/// <summary>The snippets of docs/ENGINE.md, as written: the page shows this code and this test runs it.</summary>
public sealed class GuideTests
{
    [Fact]
    public void EngineGuide_Snippets_AreTheCodeTheseTestsRun()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "ENGINE.md"));
        var tasks = File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "AgentOrchestrator.DurableTask.Tests", "Guide", "OrderTasks.cs"));
        var host = File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "AgentOrchestrator.DurableTask.Tests", "Guide", "GuideTests.cs"));

        Assert.Contains(Between(tasks), page, StringComparison.Ordinal);
        Assert.Contains(Between(host), page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EngineGuide_HostedOnTheSqliteService_ChargesWaitsAndCompletes()
    {
        var folder = Directory.CreateTempSubdirectory("ao-guide-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["extensions:durableTask:hubName"] = "Guide",
            ["extensions:durableTask:storageProvider:databaseFile"] = Path.Combine(folder, "guide.db"),
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        // snippet:begin
        builder.Services.AddDurableTaskHost(builder.Configuration, tasks => tasks
            .AddActivity<ChargeActivity>(nameof(ChargeActivity))
            .AddOrchestrator<PlaceOrder>(nameof(PlaceOrder)));
        using var host = builder.Build();
        await host.StartAsync(timeout.Token);
        var client = host.Services.GetRequiredService<DurableTaskClient>();

        var id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(PlaceOrder), new Order("o-1", 42m), timeout.Token);
        await client.RaiseEventAsync(id, "approve", "ana", timeout.Token);
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        // done.ReadOutputAs<string>() == "charged o-1 42 EUR, approved by ana"
        // snippet:end

        Assert.Equal("charged o-1 42 EUR, approved by ana", done.ReadOutputAs<string>());
        Assert.Equal(StorageProviderType.Sqlite, host.Services.GetRequiredService<DurableTaskHostOptions>().StorageProvider.Type);
        await host.StopAsync(timeout.Token);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static string Between(string source)
    {
        var begin = source.IndexOf("// snippet:begin", StringComparison.Ordinal);
        var end = source.IndexOf("// snippet:end", StringComparison.Ordinal);
        var lines = source[(source.IndexOf('\n', begin) + 1)..end].Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        while (lines.Count > 0 && lines[^1].Trim().Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "AgentOrchestrator.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (AgentOrchestrator.sln) was not found above the test output.");
    }
}
