using AgentOrchestrator.Tools.Manifests;
using AgentOrchestrator.Tools.Tests.Infrastructure;

namespace AgentOrchestrator.Tools.Tests;

/// <summary>A refused or impossible change leaves the registry exactly as it was, and the catalog stays within what a
/// session can send the model on every call.</summary>
public sealed class ToolRegistryLimitsTests : IDisposable
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
              "parameters": { "type": "object", "properties": { "sku": { "type": "string", "description": "The product's SKU." } }, "required": ["sku"], "additionalProperties": false },
              "binding": { "http": { "method": "GET", "path": "/stock/{sku}" } },
              "effects": { "readOnly": true }
            }
          ]
        }
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ao-limits-" + Guid.NewGuid().ToString("N"));

    public ToolRegistryLimitsTests()
    {
        Directory.CreateDirectory(_folder);
        File.Copy(Path.Combine(TestTools.ManifestFolder, "crm.json"), Path.Combine(_folder, "crm.json"));
        File.Copy(Path.Combine(TestTools.ManifestFolder, "billing.json"), Path.Combine(_folder, "billing.json"));
        File.WriteAllText(Path.Combine(_folder, "broken.json"), TestTools.Fixture("missing-fields.json"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ToolRegistry StartRegistry(AgentToolsOptions? options = null)
    {
        options ??= TestTools.Options();
        options.ManifestsPath = _folder;
        var registry = TestTools.Registry(options);
        new ToolManifestLoader(registry).LoadFolder(_folder);
        return registry;
    }

    private string[] FolderFiles() => [.. Directory.EnumerateFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public async Task RefusedRegistrationsAndRemovals_LeaveTheCatalogAndTheProblemsListAsTheyWere()
    {
        var registry = StartRegistry();
        var catalog = registry.Current;
        var problems = registry.Problems.Select(p => p.ToString()).ToList();
        Assert.Equal(["broken.json (line 6): /tools/0/version: is required"], problems);

        var registered = registry.Register(Shop.Replace("\"version\": \"1.0.0\",", string.Empty, StringComparison.Ordinal), "runtime:shop");
        var published = await registry.PublishAsync("shop", Shop.Replace("/stock/{sku}", "/stock/{skew}", StringComparison.Ordinal));
        var republished = await registry.PublishAsync("crm", "{ \"service\": \"crm\" }");

        Assert.All([registered, published, republished], r => Assert.False(r.Succeeded));
        Assert.Same(catalog, registry.Current);
        Assert.Equal(problems, registry.Problems.Select(p => p.ToString()));
        Assert.Equal(["billing.json", "broken.json", "crm.json"], FolderFiles());
    }

    [Fact]
    public async Task RemovingAManifestThatIsNotRegistered_ReportsNotFoundAndChangesNothing()
    {
        var registry = StartRegistry();
        var catalog = registry.Current;

        var unpublished = await registry.UnpublishAsync("shop");
        var removed = registry.Remove("runtime:shop");

        Assert.Equal((true, false), (unpublished.IsNotFound, unpublished.Succeeded));
        Assert.Equal("shop.json: (root): no manifest named 'shop' is registered", Assert.Single(unpublished.Errors).ToString());
        Assert.Equal((true, false), (removed.IsNotFound, removed.Succeeded));
        Assert.Same(catalog, registry.Current);
    }

    [Fact]
    public void Register_ToolDescriptionLongerThanTheLimit_IsRefusedAtTheDescriptionNamingTheLimit()
    {
        var registry = StartRegistry();
        var description = new string('x', 1025);

        var result = registry.Register(Shop.Replace("Reads how many items of a product are in stock.", description, StringComparison.Ordinal), "runtime:shop");

        Assert.Equal(
            "runtime:shop: /tools/0/description: is 1025 characters long; at most 1024 are allowed (AgentTools:MaxToolDescriptionLength): "
            + "the model reads it on every call; move details into the parameters' descriptions",
            Assert.Single(result.Errors).ToString());
        Assert.False(registry.Current.TryGet("shop_stock_level", out _));
    }

    [Fact]
    public void Register_ManifestThatWouldMakeTheDefinitionsTooLarge_IsRefusedAtItsToolsNamingTheLimit()
    {
        var options = TestTools.Options();
        var samples = StartRegistry().Current.Tools.Sum(t => t.ModelDefinitionBytes);
        options.MaxToolDefinitionsBytes = samples + 100;
        var registry = StartRegistry(options);
        var catalog = registry.Current;

        var result = registry.Register(Shop, "runtime:shop");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("runtime:shop", "/tools"), (error.Source, error.Pointer));
        Assert.StartsWith("would make the tool definitions the model is given on every call ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"more than AgentTools:MaxToolDefinitionsBytes ({samples + 100:N0}); this manifest's 1 tools take ", error.Message, StringComparison.Ordinal);
        Assert.Contains("the largest /tools/0 (shop_stock_level)", error.Message, StringComparison.Ordinal);
        Assert.Same(catalog, registry.Current);
        Assert.Equal(13, catalog.Count);
    }

    [Fact]
    public void Apply_FolderWithMoreToolsThanTheLimit_LoadsTheFilesThatFitInFileNameOrder()
    {
        File.WriteAllText(Path.Combine(_folder, "shop.json"), Shop);
        var options = TestTools.Options();
        options.MaxTools = 8;

        var registry = StartRegistry(options);

        // billing.json (7 tools) fits, crm.json (6 more) does not, shop.json (1 more) fits again.
        Assert.Equal(["billing.json", "shop.json"], registry.Current.Tools.Select(t => t.Source).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(registry.Problems, p => p.Source == "crm.json" && p.Pointer == "/tools"
            && p.Message == "would make 13 tools in the catalog, more than AgentTools:MaxTools (8), and a session offers the model all of them on every call");
    }
}
