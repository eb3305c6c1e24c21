using System.Reflection;
using System.Text.RegularExpressions;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Api;

namespace AgentOrchestrator.Functions.Tests;

/// <summary>The functions the app's build declares (<c>functions.metadata</c>), against the self-hosted service's API.</summary>
public sealed partial class FunctionMetadataTests
{
    private static readonly string RoutePrefix = FunctionsBuild.HostJson(FunctionsBuild.Output, "extensions", "http", "routePrefix").GetString()!;

    [Fact]
    public async Task HttpFunctions_EveryApiEndpoint_OnceWithItsRouteAndMethods()
    {
        var functions = FunctionsBuild.Functions().Where(f => f.TriggerType == "httpTrigger")
            .SelectMany(f => f.Methods.Select(m => $"{m} {SelfHostedApi.Normalize(FunctionRoutes.ToApiRoute(f.Route!, RoutePrefix))}"))
            .Order(StringComparer.Ordinal);
        var api = (await SelfHostedApi.EndpointsAsync())
            .SelectMany(e => ApiEndpointCatalog.Methods(e).Select(m => $"{m} {SelfHostedApi.Normalize(e.RoutePattern.RawText!)}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(api, functions);
    }

    [Fact]
    public async Task HttpFunctions_SessionEndpoints_HaveADurableClient()
    {
        var api = await SelfHostedApi.EndpointsAsync();
        foreach (var function in FunctionsBuild.Functions().Where(f => f.TriggerType == "httpTrigger"))
        {
            var route = SelfHostedApi.Normalize(FunctionRoutes.ToApiRoute(function.Route!, RoutePrefix));
            var endpoint = Assert.Single(api, e => SelfHostedApi.Normalize(e.RoutePattern.RawText!) == route && ApiEndpointCatalog.Methods(e).SequenceEqual(function.Methods));
            var readsSessions = endpoint.Metadata.GetMetadata<MethodInfo>()!.GetParameters().Any(p => p.ParameterType == typeof(AgentSessionClient));

            Assert.True(readsSessions == function.Has("durableClient"), $"{function.Name}: reads sessions {readsSessions}, [DurableClient] {function.Has("durableClient")}");
            Assert.Equal("Anonymous", function.Trigger.GetProperty("authLevel").GetString(), ignoreCase: true); // the API checks its own keys
            Assert.True(function.Has("http"), $"{function.Name} has no HTTP output");
            Assert.StartsWith(typeof(SessionFunctions).Namespace + ".", function.EntryPoint, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void HttpFunctions_Routes_AreOnesTheFunctionsHostAccepts()
    {
        var http = FunctionsBuild.Functions().Where(f => f.TriggerType == "httpTrigger").ToList();

        Assert.Equal(23, http.Count);
        Assert.All(http, f => Assert.Matches(FunctionName(), f.Name));
        Assert.Equal(http.Count, http.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        // The Functions host refuses routes in its own space (admin/..., runtime/...) and two functions on one route and method.
        Assert.All(http, f => Assert.False(
            f.Route!.TrimStart('/').StartsWith("admin", StringComparison.OrdinalIgnoreCase) || f.Route.TrimStart('/').StartsWith("runtime", StringComparison.OrdinalIgnoreCase),
            f.Route));
        var routeMethods = http.SelectMany(f => f.Methods.Select(m => $"{m} {f.Route}")).ToList();
        Assert.Equal(routeMethods.Count, routeMethods.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(string.Empty, RoutePrefix);
    }

    [Theory]
    [InlineData("v1/sessions", "", "/v1/sessions")]
    [InlineData("/v1/admin/sessions/s-1/events", "", "/admin/sessions/s-1/events")]
    [InlineData("/api/v1/admin/dead-letters", "api", "/admin/dead-letters")]
    [InlineData("/api/v1/tools", "api", "/v1/tools")]
    [InlineData("v1/administrators", "", "/v1/administrators")]
    public void ToApiRoute_FunctionRoute_TheApiRoute(string route, string prefix, string expected)
        => Assert.Equal(expected, FunctionRoutes.ToApiRoute(route, prefix));

    [Fact]
    public void HostJson_FunctionsApp_AzureStorageWithTheSelfHostedHubAndSessionSettings()
    {
        string[] durable = ["extensions", "durableTask"];

        Assert.Equal("AzureStorage", FunctionsBuild.HostJson(FunctionsBuild.Output, [.. durable, "storageProvider", "type"]).GetString());
        Assert.Equal("AzureWebJobsStorage", FunctionsBuild.HostJson(FunctionsBuild.Output, [.. durable, "storageProvider", "connectionName"]).GetString());
        foreach (var setting in new[] { new[] { "hubName" }, ["extendedSessionsEnabled"], ["extendedSessionIdleTimeoutInSeconds"], ["storageProvider", "partitionCount"] })
        {
            Assert.Equal(
                FunctionsBuild.HostJson(FunctionsBuild.RepositoryRoot, [.. durable, .. setting]).ToString(),
                FunctionsBuild.HostJson(FunctionsBuild.Output, [.. durable, .. setting]).ToString());
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,127}$")]
    private static partial Regex FunctionName();
}
