using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using AgentOrchestrator.Host;
using Microsoft.AspNetCore.Builder;

namespace AgentOrchestrator.Host.Tests;

/// <summary>
/// The whole service on real Kestrel at 127.0.0.1 (a free port), with its data folder and a copy of the manifests in a
/// temp folder, and configured API keys of every role.
/// </summary>
internal sealed class HostFixture : IAsyncDisposable
{
    public const string ClientA = "key-client-a";
    public const string ClientB = "key-client-b";
    public const string Admin = "key-admin";
    public const string Integrator = "key-integrator";
    private readonly WebApplication _app;
    private readonly bool _keepFolder;

    private HostFixture(WebApplication app, string folder, Uri address, bool keepFolder)
    {
        _app = app;
        Folder = folder;
        Address = address;
        _keepFolder = keepFolder;
    }

    public Uri Address { get; }

    /// <summary>The data folder (SQLite files) with the manifests under <c>manifests/</c>.</summary>
    public string Folder { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a host. Pass <paramref name="folder"/> to run on an existing data folder (a restart); it is then kept on dispose.
    /// <paramref name="configure"/> runs on the builder before the host is built (a test's own log provider, for instance).
    /// </summary>
    /// <remarks>
    /// With <paramref name="commandLine"/>, the host gets those arguments and <paramref name="folder"/> (its content root,
    /// where a test may put a host.json) decides where it listens: the fixture then sets neither <c>Urls</c> nor the
    /// sample services' base URLs, and <see cref="Address"/> is the first <c>--urls</c> address.
    /// </remarks>
    public static async Task<HostFixture> StartAsync(
        IDictionary<string, string?>? extra = null, string? folder = null, Action<WebApplicationBuilder>? configure = null, string[]? commandLine = null)
    {
        var keep = folder is not null;
        folder ??= Path.Combine(Path.GetTempPath(), "ao-host-" + Guid.NewGuid().ToString("N"));
        var manifests = Path.Combine(folder, "manifests");
        if (!Directory.Exists(manifests))
        {
            Directory.CreateDirectory(manifests);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "manifests"), "*.json"))
            {
                File.Copy(file, Path.Combine(manifests, Path.GetFileName(file)));
            }
        }

        var urls = commandLine is null ? null : commandLine[Array.IndexOf(commandLine, "--urls") + 1];
        var address = new Uri(urls?.Split(';')[0] ?? $"http://127.0.0.1:{FreePort()}");
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = address.ToString(),
            ["DataFolder"] = folder,
            ["AgentTools:ManifestsPath"] = manifests,
            ["AgentTools:WatchManifests"] = "false",
            // The embedded sample services' own origin, and the one the integrator tests publish manifests for.
            ["AgentTools:AllowedOrigins:0"] = address.GetLeftPart(UriPartial.Authority),
            ["AgentTools:AllowedOrigins:1"] = "http://127.0.0.1:5999",
            ["AgentTools:Services:crm:BaseUrl"] = new Uri(address, "/samples/crm").ToString(),
            ["AgentTools:Services:billing:BaseUrl"] = new Uri(address, "/samples/billing").ToString(),
            ["Auth:Keys:client-a:Role"] = "Client",
            ["Auth:Keys:client-a:Sha256"] = Sha(ClientA),
            ["Auth:Keys:client-b:Role"] = "Client",
            ["Auth:Keys:client-b:Sha256"] = Sha(ClientB),
            ["Auth:Keys:support:Role"] = "Admin",
            ["Auth:Keys:support:Sha256"] = Sha(Admin),
            ["Auth:Keys:partner:Role"] = "Integrator",
            ["Auth:Keys:partner:Sha256"] = Sha(Integrator),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (commandLine is not null)
        {
            settings.Remove("Urls");
            settings.Remove("AgentTools:Services:crm:BaseUrl");
            settings.Remove("AgentTools:Services:billing:BaseUrl");
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var builder = AgentOrchestratorApp.CreateBuilder(commandLine ?? [], folder, settings);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapAgentOrchestrator();
        await app.StartAsync();
        return new HostFixture(app, folder, address, keep);
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

    /// <summary>Stops the host but keeps its folder, for a restart on the same files.</summary>
    public async Task StopAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped by the test.
        }

        if (_keepFolder)
        {
            return;
        }

        DeleteFolder(Folder);
    }

    public static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS.
        }
    }

    private static string Sha(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
