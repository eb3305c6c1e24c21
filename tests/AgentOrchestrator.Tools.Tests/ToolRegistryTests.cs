using AgentOrchestrator.Tools.Tests.Infrastructure;

namespace AgentOrchestrator.Tools.Tests;

public sealed class ToolRegistryTests
{
    [Fact]
    public void Apply_SampleManifests_PublishesVersionOneWithAllThirteenTools()
    {
        var registry = TestTools.SampleRegistry();

        Assert.Equal(1, registry.Current.Version);
        Assert.Equal(13, registry.Current.Count);
        Assert.Empty(registry.Problems);
    }

    [Fact]
    public void DescribeUnknownTool_NameTheModelMadeUp_ListsTheToolsItMayCall()
    {
        var catalog = TestTools.SampleRegistry().Current;

        var message = catalog.DescribeUnknownTool("billing_charge_card");

        Assert.StartsWith("there is no tool named 'billing_charge_card'; the available tools are: billing_charge_payment, billing_create_invoice,", message, StringComparison.Ordinal);
        Assert.EndsWith("crm_remove_note", message, StringComparison.Ordinal);
        Assert.Equal("there is no tool named 'x'; no tools are available", ToolCatalog.Empty.DescribeUnknownTool("x"));
    }

    [Fact]
    public void Register_ManifestWhoseCompensationNamesNoTool_IsRejectedAndCatalogAndProblemsUnchanged()
    {
        var registry = TestTools.SampleRegistry();

        var result = registry.Register(TestTools.Fixture("unknown-compensation.json"), "runtime:shop");

        var error = Assert.Single(result.Errors);
        Assert.Equal("runtime:shop: /tools/0/saga/compensation/tool: unknown tool 'shop_release_stok': no manifest declares it", error.ToString());
        Assert.Equal(1, result.CatalogVersion);
        Assert.False(registry.Current.TryGet("shop_reserve_stock", out _));
        Assert.Empty(registry.Problems); // the caller has the errors; nothing in force is broken
    }

    [Fact]
    public void Register_ToolNameAlreadyTakenByAnotherManifest_IsRejectedAndOriginalKept()
    {
        var registry = TestTools.SampleRegistry();
        var original = registry.Current.Get("crm_get_contact");

        var result = registry.Register(TestTools.Fixture("name-collision.json"), "crm2.json");

        var error = Assert.Single(result.Errors);
        Assert.Equal("/tools/0/name", error.Pointer);
        Assert.Contains("already declared by crm.json (/tools/1)", error.Message, StringComparison.Ordinal);
        Assert.Same(original, registry.Current.Get("crm_get_contact"));
    }

    [Fact]
    public void Register_NewManifest_ReturnsNewVersionAndKeepsOldSnapshotIntact()
    {
        var registry = TestTools.SampleRegistry();
        var sessionCatalog = registry.Current;
        var changed = TestTools.Sample("crm.json")
            .ReplaceFirst("\"version\": \"1.0.0\",\n      \"title\": \"Find contacts\"", "\"version\": \"1.1.0\",\n      \"title\": \"Find contacts\"")
            .ReplaceFirst("Finds CRM contacts", "Looks up CRM contacts");

        var result = registry.Register(changed, "crm.json");

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.CatalogVersion);
        Assert.Equal("1.1.0", registry.Current.Get("crm_find_contacts").Version);
        Assert.Equal("1.0.0", sessionCatalog.Get("crm_find_contacts").Version);
        Assert.True(registry.TryGetTool("crm_find_contacts", "1.0.0", out var pinned));
        Assert.StartsWith("Finds CRM contacts", pinned.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_ChangedToolUnderSameVersion_IsRejectedSoPinnedSessionsStayTrue()
    {
        var registry = TestTools.SampleRegistry();

        var result = registry.Register(TestTools.Sample("crm.json").ReplaceFirst("Finds CRM contacts", "Looks up CRM contacts"), "crm.json");

        var error = Assert.Single(result.Errors);
        Assert.Equal("/tools/0/version", error.Pointer);
        Assert.Contains("give the changed tool a new version", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Finds CRM contacts", registry.Current.Get("crm_find_contacts").Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_SameContentAgain_KeepsTheCatalogVersion()
    {
        var registry = TestTools.SampleRegistry();

        var result = registry.Register(TestTools.Sample("crm.json"), "crm.json");

        Assert.True(result.Succeeded);
        Assert.Equal(1, result.CatalogVersion);
    }

    [Fact]
    public void Remove_ManifestWhoseToolsAnotherManifestCompensatesWith_IsRejected()
    {
        var registry = TestTools.Registry();
        var compensations = TestTools.Sample("crm.json");
        var dependant = TestTools.Fixture("unknown-compensation.json")
            .Replace("shop_release_stok", "crm_remove_note", StringComparison.Ordinal)
            .Replace("{ \"reservationId\": \"$.result.id\" }", "{ \"contactId\": \"$.result.contactId\", \"noteId\": \"$.result.id\" }", StringComparison.Ordinal);
        Assert.True(registry.Apply([new ManifestChange("crm.json", compensations), new ManifestChange("shop.json", dependant)]).Succeeded);

        var result = registry.Remove("crm.json");

        var error = Assert.Single(result.Errors);
        Assert.Equal("crm.json", error.Source);
        Assert.Contains("would break shop.json: /tools/0/saga/compensation/tool: unknown tool 'crm_remove_note'", error.Message, StringComparison.Ordinal);
        Assert.True(registry.Current.TryGet("crm_remove_note", out _));
    }

    [Fact]
    public void Apply_OneGoodOneBrokenManifest_PublishesTheGoodOneAndReportsTheBroken()
    {
        var registry = TestTools.Registry();
        var rejected = new List<AgentOrchestrator.Tools.Manifests.ManifestError>();
        registry.ManifestsRejected += (_, e) => rejected.AddRange(e.Errors);

        var result = registry.Apply([
            new ManifestChange("crm.json", TestTools.Sample("crm.json")),
            new ManifestChange("missing-fields.json", TestTools.Fixture("missing-fields.json")),
        ]);

        Assert.Equal(["crm.json"], result.Accepted);
        Assert.Equal(6, registry.Current.Count);
        Assert.Equal("missing-fields.json", Assert.Single(rejected).Source);
    }

    [Fact]
    public void Remove_Manifest_TakesItsToolsOutOfTheNextCatalogOnly()
    {
        var registry = TestTools.SampleRegistry();
        var before = registry.Current;

        var result = registry.Remove("billing.json");

        Assert.True(result.Succeeded);
        Assert.Equal(6, registry.Current.Count);
        Assert.True(before.TryGet("billing_charge_payment", out _));
    }
}
