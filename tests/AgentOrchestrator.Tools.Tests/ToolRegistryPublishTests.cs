using AgentOrchestrator.Tools.Manifests;
using AgentOrchestrator.Tools.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentOrchestrator.Tools.Tests;

/// <summary>The runtime integrator API: manifests published and unpublished while the host runs, validated,
/// versioned and persisted to the manifest folder.</summary>
public sealed class ToolRegistryPublishTests : IDisposable
{
    private const string ShopV1 = """
        {
          "$schema": "./tool-manifest.schema.json",
          "service": "shop",
          "http": { "baseUrl": "http://127.0.0.1:5090/shop" },
          "tools": [
            {
              "name": "shop_reserve_stock",
              "version": "1.0.0",
              "description": "Reserves stock for an order.",
              "parameters": {
                "type": "object",
                "properties": { "sku": { "type": "string" }, "quantity": { "type": "integer", "minimum": 1 } },
                "required": ["sku", "quantity"],
                "additionalProperties": false
              },
              "binding": { "http": { "method": "POST", "path": "/reservations" } },
              "effects": { "readOnly": false, "destructive": false },
              "idempotency": {},
              "saga": { "role": "compensatable", "compensation": { "tool": "shop_release_stock", "arguments": { "reservationId": "$.result.id" } } },
              "timeout": "5s"
            },
            {
              "name": "shop_release_stock",
              "version": "1.0.0",
              "description": "Releases a stock reservation.",
              "parameters": {
                "type": "object",
                "properties": { "reservationId": { "type": "string" } },
                "required": ["reservationId"],
                "additionalProperties": false
              },
              "binding": { "http": { "method": "DELETE", "path": "/reservations/{reservationId}" } },
              "effects": { "readOnly": false, "destructive": true, "idempotent": true },
              "idempotency": {},
              "saga": { "role": "retriable" }
            }
          ]
        }
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ao-publish-" + Guid.NewGuid().ToString("N"));

    public ToolRegistryPublishTests()
    {
        Directory.CreateDirectory(_folder);
        foreach (var file in new[] { "crm.json", "billing.json", "tool-manifest.schema.json" })
        {
            File.Copy(Path.Combine(TestTools.ManifestFolder, file), Path.Combine(_folder, file));
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ToolRegistry StartRegistry()
    {
        var options = TestTools.Options();
        options.ManifestsPath = _folder;
        var registry = TestTools.Registry(options);
        var loaded = new ToolManifestLoader(registry).LoadFolder(_folder);
        Assert.True(loaded.Succeeded, string.Join("; ", loaded.Errors));
        return registry;
    }

    private string[] FolderFiles() => [.. Directory.EnumerateFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public async Task PublishAsync_NewManifest_ServesItsToolsAndTheNextStartLoadsThemFromTheFolder()
    {
        var registry = StartRegistry();

        var result = await registry.PublishAsync("shop", ShopV1);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal((2L, 15), (result.CatalogVersion, registry.Current.Count));
        Assert.Equal("shop.json", registry.Current.Get("shop_reserve_stock").Source);
        Assert.Equal(ShopV1, await File.ReadAllTextAsync(Path.Combine(_folder, "shop.json")));
        Assert.Equal(["billing.json", "crm.json", "shop.json", "tool-manifest.schema.json"], FolderFiles());
        var afterRestart = StartRegistry();
        Assert.Equal(15, afterRestart.Current.Count);
        Assert.True(afterRestart.Current.TryGet("shop_release_stock", out _));
    }

    [Fact]
    public async Task PublishAsync_ManifestWithTwoProblems_ReportsBothWithPointersAndWritesNothing()
    {
        var registry = StartRegistry();
        var broken = ShopV1.ReplaceFirst("\"version\": \"1.0.0\",\n      \"description\": \"Reserves", "\"description\": \"Reserves")
            .ReplaceFirst("\"timeout\": \"5s\"", "\"timeout\": \"0s\"");

        var result = await registry.PublishAsync("shop", broken);

        Assert.Equal(
            ["shop.json: /tools/0/timeout: must be more than 0 and at most 1h", "shop.json (line 6): /tools/0/version: is required"],
            result.Errors.OrderBy(e => e.Pointer, StringComparer.Ordinal).Select(e => e.ToString()));
        Assert.Equal((1L, 13), (registry.Current.Version, registry.Current.Count));
        Assert.Equal(["billing.json", "crm.json", "tool-manifest.schema.json"], FolderFiles());
    }

    [Fact]
    public async Task PublishAsync_BrokenUpdateOfAFolderManifest_KeepsTheOldToolsAndTheOldFile()
    {
        var registry = StartRegistry();
        var before = await File.ReadAllTextAsync(Path.Combine(_folder, "crm.json"));

        var result = await registry.PublishAsync("crm", before.ReplaceFirst("\"path\": \"/contacts/{contactId}\"", "\"path\": \"/contacts/{contactld}\""));

        Assert.Equal("/tools/1/binding/http/path", Assert.Single(result.Errors).Pointer);
        Assert.Equal("1.0.0", registry.Current.Get("crm_get_contact").Version);
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(_folder, "crm.json")));
        Assert.True(registry.TryGetManifest("crm.json", out var inForce));
        Assert.Equal(before, inForce);
    }

    [Fact]
    public async Task PublishAsync_ToolWithNewVersion_PutsItInForceAndKeepsTheOldVersionReachable()
    {
        var registry = StartRegistry();
        Assert.True((await registry.PublishAsync("shop", ShopV1)).Succeeded);
        var pinned = registry.Current;
        var v2 = ShopV1.ReplaceFirst("\"version\": \"1.0.0\",\n      \"description\": \"Reserves stock for an order.\"",
            "\"version\": \"1.1.0\",\n      \"description\": \"Reserves stock for an order until it ships.\"");

        var result = await registry.PublishAsync("shop", v2);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal("1.1.0", registry.Current.Get("shop_reserve_stock").Version);
        Assert.Equal("1.0.0", pinned.Get("shop_reserve_stock").Version);
        Assert.True(registry.TryGetTool("shop_reserve_stock", "1.0.0", out var old));
        Assert.Equal("Reserves stock for an order.", old.Description);
        Assert.Equal(v2, await File.ReadAllTextAsync(Path.Combine(_folder, "shop.json")));
    }

    [Fact]
    public async Task PublishAsync_ChangedToolUnderTheSameVersion_IsRejectedAndTheFileKeepsTheOldText()
    {
        var registry = StartRegistry();
        Assert.True((await registry.PublishAsync("shop", ShopV1)).Succeeded);

        var result = await registry.PublishAsync("shop", ShopV1.ReplaceFirst("Reserves stock for an order.", "Reserves stock."));

        Assert.Contains("give the changed tool a new version", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
        Assert.Equal("Reserves stock for an order.", registry.Current.Get("shop_reserve_stock").Description);
        Assert.Equal(ShopV1, await File.ReadAllTextAsync(Path.Combine(_folder, "shop.json")));
    }

    [Theory]
    [InlineData("../shop")]
    [InlineData("Shop")]
    [InlineData("shop.schema")]
    [InlineData("")]
    public async Task PublishAsync_NameThatIsNotAPlainFileName_IsRefusedAndWritesNothing(string name)
    {
        var registry = StartRegistry();

        var result = await registry.PublishAsync(name, ShopV1);

        Assert.Contains("is not a manifest name", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
        Assert.Equal(13, registry.Current.Count);
        Assert.Equal(["billing.json", "crm.json", "tool-manifest.schema.json"], FolderFiles());
        Assert.False(File.Exists(Path.Combine(_folder, "..", "shop.json")));
    }

    [Fact]
    public async Task UnpublishAsync_PublishedManifest_RemovesItsToolsAndItsFile()
    {
        var registry = StartRegistry();
        Assert.True((await registry.PublishAsync("shop", ShopV1)).Succeeded);

        var result = await registry.UnpublishAsync("shop");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.False(registry.Current.TryGet("shop_reserve_stock", out _));
        Assert.False(File.Exists(Path.Combine(_folder, "shop.json")));
        Assert.Equal(13, StartRegistry().Current.Count);
    }

    [Fact]
    public async Task UnpublishAsync_ManifestWhoseToolAnotherCompensatesWith_IsRejectedAndTheFileStays()
    {
        var registry = StartRegistry();
        var undo = ShopV1.ReplaceFirst("\"tools\": [", "\"tools\": [\n").Split("},\n    {", 2)[1];
        var releaseOnly = "{ \"service\": \"shop\", \"http\": { \"baseUrl\": \"http://127.0.0.1:5090/shop\" }, \"tools\": [ {" + undo;
        var reserveOnly = ShopV1.Split("},\n    {", 2)[0] + "}\n  ]\n}";
        Assert.True((await registry.PublishAsync("shop-undo", releaseOnly)).Succeeded);
        Assert.True((await registry.PublishAsync("shop", reserveOnly)).Succeeded);

        var result = await registry.UnpublishAsync("shop-undo");

        Assert.Contains("shop_release_stock", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
        Assert.True(registry.Current.TryGet("shop_release_stock", out _));
        Assert.True(File.Exists(Path.Combine(_folder, "shop-undo.json")));
    }

    [Fact]
    public async Task PublishAsync_WithoutAManifestFolder_SaysHowToEnableIt()
    {
        var options = TestTools.Options();
        options.ManifestsPath = string.Empty;
        var registry = TestTools.Registry(options);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => registry.PublishAsync("shop", ShopV1));

        Assert.Contains("AgentTools:ManifestsPath is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_ThroughAddAgentToolsWithTheWatcherRunning_WritesToTheConfiguredFolderWithoutASecondCatalogChange()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentTools:ManifestsPath"] = _folder,
            ["AgentTools:AllowedOrigins:0"] = "http://127.0.0.1:5090",
            ["AgentTools:AllowedOrigins:1"] = "http://localhost:5080",
            ["AgentTools:ReloadDebounce"] = "00:00:00.050",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddAgentTools(configuration);
        await using var provider = services.BuildServiceProvider();
        var watcher = provider.GetServices<IHostedService>().OfType<ToolManifestWatcher>().Single();
        await watcher.StartAsync(CancellationToken.None);
        var registry = provider.GetRequiredService<ToolRegistry>();

        var result = await registry.PublishAsync("shop", ShopV1);
        // The watcher sees shop.json appear; reloading it and then touching a file must publish nothing new.
        var changed = new TaskCompletionSource<ToolCatalogChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        registry.CatalogChanged += (_, e) => changed.TrySetResult(e);
        var crm = await File.ReadAllTextAsync(Path.Combine(_folder, "crm.json"));
        var v2 = crm.ReplaceFirst("\"version\": \"1.0.0\",\n      \"title\": \"Get contact\"", "\"version\": \"1.1.0\",\n      \"title\": \"Get contact\"")
            .ReplaceFirst("Reads one CRM contact by id.", "Reads one CRM contact by its id.");
        await File.WriteAllTextAsync(Path.Combine(_folder, "crm.json.tmp"), v2);
        File.Move(Path.Combine(_folder, "crm.json.tmp"), Path.Combine(_folder, "crm.json"), overwrite: true);
        var next = await changed.Task.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(_folder, registry.ManifestsFolder);
        Assert.Equal((result.CatalogVersion, result.CatalogVersion + 1), (next.Previous.Version, next.Current.Version));
        Assert.Equal("1.1.0", next.Current.Get("crm_get_contact").Version);
        Assert.True(next.Current.TryGet("shop_reserve_stock", out _));
        watcher.Dispose();
    }
}
