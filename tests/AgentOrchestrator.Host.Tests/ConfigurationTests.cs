using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace AgentOrchestrator.Host.Tests;

/// <summary>Where settings come from: host.json, then local.settings.json, then environment variables, then the command line.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public void AddAgentOrchestratorConfiguration_EverySource_OverridesTheOneBefore()
    {
        // One setting per layer, named for this test only, so the process-wide environment is not shared with other tests.
        var name = "AoConfigTest" + Guid.NewGuid().ToString("N");
        var folder = Directory.CreateTempSubdirectory("ao-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "host.json"), $$"""{ "{{name}}": { "File": "host", "Local": "host", "Env": "host", "Cmd": "host" } }""");
            File.WriteAllText(Path.Combine(folder, "local.settings.json"), $$"""{ "Values": { "{{name}}__Local": "local", "{{name}}__Env": "local", "{{name}}__Cmd": "local" } }""");
            System.Environment.SetEnvironmentVariable($"{name}__Env", "env");
            System.Environment.SetEnvironmentVariable($"{name}__Cmd", "env");

            var configuration = new ConfigurationManager();
            configuration.AddAgentOrchestratorConfiguration(new TestEnvironment(folder), [$"--{name}:Cmd=cmd"]);

            Assert.Equal(
                ["host", "local", "env", "cmd"],
                new[] { "File", "Local", "Env", "Cmd" }.Select(key => configuration[$"{name}:{key}"]));
        }
        finally
        {
            System.Environment.SetEnvironmentVariable($"{name}__Env", null);
            System.Environment.SetEnvironmentVariable($"{name}__Cmd", null);
            HostFixture.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task CommandLineUrls_OverUrlsInHostJson_HostListensThereAndTheDemoToolsFollow()
    {
        // host.json as the repository's says: listen on one port, and the sample services' URLs on that port.
        var folder = Directory.CreateTempSubdirectory("ao-urls-").FullName;
        var filePort = HostFixture.FreePort();
        File.WriteAllText(Path.Combine(folder, "host.json"), $$"""
            {
              "Urls": "http://127.0.0.1:{{filePort}}",
              "AgentTools": { "Services": {
                "crm": { "BaseUrl": "http://127.0.0.1:{{filePort}}/samples/crm" },
                "billing": { "BaseUrl": "http://127.0.0.1:{{filePort}}/samples/billing" } } }
            }
            """);
        var commandLine = $"http://127.0.0.1:{HostFixture.FreePort()}";
        try
        {
            await using var host = await HostFixture.StartAsync(folder: folder, commandLine: ["--urls", commandLine]);
            using var client = host.Client(HostFixture.ClientA);

            using var created = await client.PostAsJsonAsync("/v1/sessions", new { message = "Create a contact for Ada Lovelace ada@example.com and charge 42 EUR with card 4000000000000002" });
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
            var events = await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed");

            Assert.Equal(new Uri(commandLine), host.Address);
            // The tools reached the sample services on the command line's port: the charge was declined, not unreachable.
            Assert.Contains(events, e => e.Kind == "tool.failed" && e.Data.Contains("card_declined", StringComparison.Ordinal));
            Assert.Equal(2, events.Count(e => e.Kind == "compensation.completed"));
            using var elsewhere = new TcpClient();
            await Assert.ThrowsAnyAsync<SocketException>(() => elsewhere.ConnectAsync("127.0.0.1", filePort));
        }
        finally
        {
            HostFixture.DeleteFolder(folder);
        }
    }

    private sealed class TestEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "AgentOrchestrator.Host";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
