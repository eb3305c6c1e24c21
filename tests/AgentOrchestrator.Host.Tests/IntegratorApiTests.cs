using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AgentOrchestrator.Host.Tests;

/// <summary>Integrators register and update manifests at run time; bad ones are refused with every problem named.</summary>
public sealed class IntegratorApiTests
{
    [Fact]
    public async Task PublishManifest_Valid_IsListedVersionedAndPersisted()
    {
        await using var host = await HostFixture.StartAsync();
        using var integrator = host.Client(HostFixture.Integrator);
        var before = await integrator.GetFromJsonAsync<JsonElement>("/v1/tools");

        using var published = await integrator.PutAsync("/v1/manifests/shop", Json(Manifest("http://127.0.0.1:5999/shop", "1.0.0")));
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        using var updated = await integrator.PutAsync("/v1/manifests/shop", Json(Manifest("http://127.0.0.1:5999/shop", "1.1.0")));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);

        var after = await integrator.GetFromJsonAsync<JsonElement>("/v1/tools");
        Assert.True(after.GetProperty("catalogVersion").GetInt64() > before.GetProperty("catalogVersion").GetInt64());
        var tool = after.GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "shop_stock_level");
        Assert.Equal("1.1.0", tool.GetProperty("version").GetString());
        Assert.Equal("shop.json", tool.GetProperty("manifest").GetString());
        Assert.Contains("1.1.0", await File.ReadAllTextAsync(Path.Combine(host.Folder, "manifests", "shop.json")), StringComparison.Ordinal);
        using var text = await integrator.GetAsync("/v1/manifests/shop");
        Assert.Contains("shop_stock_level", await text.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishManifest_HostNotAllowedOrInvalid_IsRefusedAndChangesNothing()
    {
        await using var host = await HostFixture.StartAsync();
        using var integrator = host.Client(HostFixture.Integrator);
        var before = await integrator.GetFromJsonAsync<JsonElement>("/v1/tools");

        using var foreignHost = await integrator.PutAsync("/v1/manifests/shop", Json(Manifest("https://evil.example.com/shop", "1.0.0")));
        using var broken = await integrator.PutAsync("/v1/manifests/shop", Json("""{"service":"shop","tools":[{"name":"x y"}]}"""));
        using var notJson = await integrator.PutAsync("/v1/manifests/shop", new StringContent("{", Encoding.UTF8, "application/json"));
        using var wrongType = await integrator.PutAsync("/v1/manifests/shop", new StringContent("hello", Encoding.UTF8, "text/plain"));

        var errors = new List<List<string>>();
        foreach (var refused in new[] { foreignHost, broken, notJson })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var body = await refused.Content.ReadFromJsonAsync<JsonElement>();
            errors.Add([.. body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)]);
        }

        Assert.All(errors, e => Assert.NotEmpty(e));
        Assert.Contains(errors[0], e => e.Contains("evil.example.com", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        var after = await integrator.GetFromJsonAsync<JsonElement>("/v1/tools");
        Assert.Equal(before.GetProperty("catalogVersion").GetInt64(), after.GetProperty("catalogVersion").GetInt64());
        Assert.False(File.Exists(Path.Combine(host.Folder, "manifests", "shop.json")));
    }

    [Fact]
    public async Task DeleteManifest_NameNoManifestHas_Is404AndChangesNothing()
    {
        await using var host = await HostFixture.StartAsync();
        using var integrator = host.Client(HostFixture.Integrator);
        var before = await integrator.GetFromJsonAsync<JsonElement>("/v1/tools");

        using var deleted = await integrator.DeleteAsync("/v1/manifests/no-such-manifest");

        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
        Assert.Equal("application/problem+json", deleted.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-such-manifest", (await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var after = await integrator.GetFromJsonAsync<JsonElement>("/v1/tools");
        Assert.Equal(before.GetProperty("catalogVersion").GetInt64(), after.GetProperty("catalogVersion").GetInt64());
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static string Manifest(string baseUrl, string version) => $$"""
        {
          "service": "shop",
          "description": "A shop's stock.",
          "http": { "baseUrl": "{{baseUrl}}" },
          "tools": [
            {
              "name": "shop_stock_level",
              "version": "{{version}}",
              "description": "Reads how many items of a product are in stock.",
              "parameters": {
                "type": "object",
                "required": ["sku"],
                "properties": { "sku": { "type": "string", "description": "The product's SKU." } },
                "additionalProperties": false
              },
              "binding": { "http": { "method": "GET", "path": "/stock/{sku}" } },
              "effects": { "readOnly": true }
            }
          ]
        }
        """;
}
