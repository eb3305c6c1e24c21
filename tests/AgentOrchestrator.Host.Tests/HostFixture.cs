using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using AgentOrchestrator.Host;
using Microsoft.AspNetCore.Builder;

namespace AgentOrchestrator.Host.Tests;

/// <summary>The whole service on real Kestrel at 127.0.0.1, with a temp data folder and configured API keys.</summary>
internal sealed class HostFixture : IAsyncDisposable
{
    public const string ClientA = "key-client-a";
    public const string ClientB = "key-client-b";
    public const string Admin = "key-admin";
    private readonly WebApplication _app;
    private readonly string _folder;

    private HostFixture(WebApplication app, string folder, Uri address)
    {
        _app = app;
        _folder = folder;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<HostFixture> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ao-host-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = address.ToString(),
            ["DataFolder"] = folder,
            ["AgentTools:ManifestsPath"] = Path.Combine(AppContext.BaseDirectory, "manifests"),
            ["AgentTools:WatchManifests"] = "false",
            ["AgentTools:AllowedHosts:0"] = "127.0.0.1",
            ["AgentTools:Services:crm:BaseUrl"] = new Uri(address, "/samples/crm").ToString(),
            ["AgentTools:Services:billing:BaseUrl"] = new Uri(address, "/samples/billing").ToString(),
            ["Auth:Keys:client-a:Role"] = "Client",
            ["Auth:Keys:client-a:Sha256"] = Sha(ClientA),
            ["Auth:Keys:client-b:Role"] = "Client",
            ["Auth:Keys:client-b:Sha256"] = Sha(ClientB),
            ["Auth:Keys:support:Role"] = "Admin",
            ["Auth:Keys:support:Sha256"] = Sha(Admin),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var app = AgentOrchestratorApp.CreateBuilder([], folder, settings).Build();
        app.MapAgentOrchestrator();
        await app.StartAsync();
        return new HostFixture(app, folder, address);
    }

    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS.
        }
    }

    private static string Sha(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
