using System.Text.Json;
using AgentOrchestrator.SampleServices;
using AgentOrchestrator.SampleServices.Tests.Infrastructure;
using AgentOrchestrator.Tools.Invocation;
using AgentOrchestrator.Tools.Sagas;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentOrchestrator.Tools.Tests.Infrastructure;

/// <summary>The sample services on real Kestrel plus the tools layer wired by AddAgentTools, loading the
/// real sample manifests with the services' loopback address as base URL override.</summary>
internal sealed class ToolsHarness : IAsyncDisposable
{
    public const string CrmKey = "crm-test-key";
    public const string BillingKey = "billing-test-key";

    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _hosted;

    private ToolsHarness(SampleServicesHost services, ServiceProvider provider, List<IHostedService> hosted)
    {
        Services = services;
        _provider = provider;
        _hosted = hosted;
    }

    public SampleServicesHost Services { get; }

    public ToolRegistry Registry => _provider.GetRequiredService<ToolRegistry>();

    public IToolInvoker Invoker => _provider.GetRequiredService<IToolInvoker>();

    public CompensationPlanner Planner => _provider.GetRequiredService<CompensationPlanner>();

    public static async Task<ToolsHarness> StartAsync(
        Action<SampleServicesOptions>? configureServices = null,
        Action<IDictionary<string, string?>>? configureTools = null,
        Action<AgentToolsBuilder>? handlers = null,
        TimeProvider? serviceClock = null)
    {
        var services = await SampleServicesHost.StartAsync(o =>
        {
            o.Crm.ApiKey = CrmKey;
            o.Billing.ApiKey = BillingKey;
            configureServices?.Invoke(o);
        }, serviceClock);

        var settings = new Dictionary<string, string?>
        {
            ["AgentTools:ManifestsPath"] = TestTools.ManifestFolder,
            ["AgentTools:WatchManifests"] = "false",
            ["AgentTools:Services:crm:BaseUrl"] = new Uri(services.BaseAddress, "/crm").ToString(),
            ["AgentTools:Services:billing:BaseUrl"] = new Uri(services.BaseAddress, "/billing").ToString(),
            ["CRM_API_KEY"] = CrmKey,
            ["Values:BILLING_API_KEY"] = BillingKey,
        };
        configureTools?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var collection = new ServiceCollection().AddLogging();
        var builder = collection.AddAgentTools(configuration);
        handlers?.Invoke(builder);
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        return new ToolsHarness(services, provider, hosted);
    }

    public Task<ToolInvocationResult> InvokeAsync(string tool, string arguments, string key) =>
        InvokeAsync(Registry.Current.Get(tool), arguments, key);

    public async Task<ToolInvocationResult> InvokeAsync(ToolDefinition tool, string arguments, string key)
    {
        using var document = JsonDocument.Parse(arguments);
        return await Invoker.InvokeAsync(tool, document.RootElement, key, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }

        await _provider.DisposeAsync();
        await Services.DisposeAsync();
    }
}
