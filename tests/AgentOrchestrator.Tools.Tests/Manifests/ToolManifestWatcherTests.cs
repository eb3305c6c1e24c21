using AgentOrchestrator.Tools.Manifests;
using AgentOrchestrator.Tools.Tests.Infrastructure;

namespace AgentOrchestrator.Tools.Tests.Manifests;

public sealed class ToolManifestWatcherTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ao-manifests-" + Guid.NewGuid().ToString("N"));

    public ToolManifestWatcherTests()
    {
        Directory.CreateDirectory(_folder);
        foreach (var file in new[] { "crm.json", "billing.json", "tool-manifest.schema.json" })
        {
            File.Copy(Path.Combine(TestTools.ManifestFolder, file), Path.Combine(_folder, file));
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (ToolRegistry Registry, ToolManifestWatcher Watcher) Start()
    {
        var options = TestTools.Options();
        options.ManifestsPath = _folder;
        options.ReloadDebounce = TimeSpan.FromMilliseconds(50);
        var registry = TestTools.Registry(options);
        var watcher = new ToolManifestWatcher(new ToolManifestLoader(registry), TestTools.Wrap(options), TimeProvider.System);
        return (registry, watcher);
    }

    /// <summary>Replaces a manifest the way editors save: write a temp file, then rename it over the old one,
    /// so the watcher never reads half a file and the test sees exactly one outcome.</summary>
    private async Task ReplaceFileAsync(string name, string content)
    {
        var temp = Path.Combine(_folder, name + ".tmp");
        await File.WriteAllTextAsync(temp, content);
        File.Move(temp, Path.Combine(_folder, name), overwrite: true);
    }

    private static Task<T> Next<T>(Action<EventHandler<T>> subscribe)
    {
        var arrived = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe((_, e) => arrived.TrySetResult(e));
        return arrived.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task StartAsync_FolderWithSampleManifests_LoadsThemAndSkipsTheSchemaFile()
    {
        var (registry, watcher) = Start();
        using (watcher)
        {
            await watcher.StartAsync(CancellationToken.None);

            Assert.Equal(13, registry.Current.Count);
            Assert.Empty(registry.Problems);
        }
    }

    [Fact]
    public async Task Reload_EditThatBreaksAManifest_KeepsTheOldToolsAndReportsTheFileAndPointer()
    {
        var (registry, watcher) = Start();
        using (watcher)
        {
            await watcher.StartAsync(CancellationToken.None);
            var before = registry.Current;
            var rejected = Next<ManifestsRejectedEventArgs>(h => registry.ManifestsRejected += h);

            var broken = TestTools.Sample("billing.json").ReplaceFirst("\"method\": \"POST\", \"path\": \"/payments\"", "\"method\": \"POST\", \"path\": \"payments\"");
            await ReplaceFileAsync("billing.json", broken);
            var errors = (await rejected).Errors;

            var error = Assert.Single(errors);
            Assert.Equal(("billing.json", "/tools/3/binding/http/path"), (error.Source, error.Pointer));
            Assert.Same(before, registry.Current);
            Assert.True(registry.Current.TryGet("billing_charge_payment", out _));
            Assert.Equal([error], registry.Problems);
        }
    }

    [Fact]
    public async Task Reload_OneFileBrokenWhileAnotherGetsANewVersion_TakesTheGoodChangeAndKeepsTheBrokenFilesOldTools()
    {
        var (registry, watcher) = Start();
        using (watcher)
        {
            await watcher.StartAsync(CancellationToken.None);
            var crmBefore = registry.Current.Get("crm_create_contact");
            var rejected = Next<ManifestsRejectedEventArgs>(h => registry.ManifestsRejected += h);
            var billingChanged = new TaskCompletionSource<ToolCatalog>(TaskCreationOptions.RunContinuationsAsynchronously);
            registry.CatalogChanged += (_, e) =>
            {
                if (e.Current.TryGet("billing_get_invoice", out var t) && t.Version == "1.1.0")
                {
                    billingChanged.TrySetResult(e.Current);
                }
            };

            await ReplaceFileAsync("crm.json", TestTools.Sample("crm.json").ReplaceFirst("\"timeout\": \"10s\"", "\"timeout\": \"2h\""));
            await ReplaceFileAsync("billing.json", TestTools.Sample("billing.json")
                .ReplaceFirst("\"version\": \"1.0.0\",\n      \"title\": \"Get invoice\"", "\"version\": \"1.1.0\",\n      \"title\": \"Get invoice\"")
                .ReplaceFirst("Reads an invoice:", "Reads one invoice:"));
            var error = Assert.Single((await rejected).Errors);
            var catalog = await billingChanged.Task.WaitAsync(Patience);

            Assert.Equal(("crm.json", "/tools/2/timeout"), (error.Source, error.Pointer));
            Assert.Same(crmBefore, catalog.Get("crm_create_contact"));
            Assert.Equal(13, catalog.Count);
            Assert.Equal([error], registry.Problems);
        }
    }

    [Fact]
    public async Task Reload_FixedManifestWithNewVersion_PublishesItAndClearsTheProblem()
    {
        var (registry, watcher) = Start();
        using (watcher)
        {
            await watcher.StartAsync(CancellationToken.None);
            var rejected = Next<ManifestsRejectedEventArgs>(h => registry.ManifestsRejected += h);
            await ReplaceFileAsync("crm.json", "{ \"service\": \"crm\", ");
            await rejected;
            var changed = Next<ToolCatalogChangedEventArgs>(h => registry.CatalogChanged += h);

            var fixedManifest = TestTools.Sample("crm.json")
                .ReplaceFirst("\"version\": \"1.0.0\",\n      \"title\": \"Get contact\"", "\"version\": \"1.1.0\",\n      \"title\": \"Get contact\"")
                .ReplaceFirst("Reads one CRM contact by id.", "Reads one CRM contact by its id.");
            await ReplaceFileAsync("crm.json", fixedManifest);
            var change = await changed;

            Assert.Equal(2, change.Current.Version);
            Assert.Equal("1.1.0", change.Current.Get("crm_get_contact").Version);
            Assert.Equal("1.0.0", change.Previous.Get("crm_get_contact").Version);
            Assert.Empty(registry.Problems);
        }
    }

    [Fact]
    public async Task Reload_ManifestFileDeleted_RemovesItsTools()
    {
        var (registry, watcher) = Start();
        using (watcher)
        {
            await watcher.StartAsync(CancellationToken.None);
            var changed = Next<ToolCatalogChangedEventArgs>(h => registry.CatalogChanged += h);

            File.Delete(Path.Combine(_folder, "billing.json"));
            var change = await changed;

            Assert.Equal(6, change.Current.Count);
            Assert.False(change.Current.TryGet("billing_charge_payment", out _));
        }
    }
}
