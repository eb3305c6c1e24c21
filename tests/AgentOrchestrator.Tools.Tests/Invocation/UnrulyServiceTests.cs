using System.Text.Json;
using AgentOrchestrator.Tools.Invocation;
using AgentOrchestrator.Tools.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Tools.Tests.Invocation;

/// <summary>The HTTP invoker against a service on real Kestrel that misbehaves: redirects off its host, huge or
/// non-JSON bodies, error pages, Retry-After.</summary>
public sealed class UnrulyServiceTests : IAsyncLifetime
{
    private WebApplication? _app;
    private ServiceProvider? _tools;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/redirect", () => Results.Redirect("https://attacker.example.net/collect"));
        _app.MapGet("/huge", () => Results.Text(new string('x', 2 * 1024 * 1024), "application/json"));
        _app.MapGet("/html", () => Results.Text("<html>hello</html>", "text/html"));
        _app.MapGet("/conflict", (HttpContext http) =>
        {
            http.Response.Headers.RetryAfter = "3";
            return Results.Json(new { error = new { code = "edit_conflict", message = "Someone else is editing it." } }, statusCode: 409);
        });
        _app.MapGet("/busy", (HttpContext http) =>
        {
            http.Response.Headers.RetryAfter = "7";
            return Results.Text("<h1>503 Service Unavailable</h1>", "text/html", statusCode: 503);
        });
        await _app.StartAsync();

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentTools:ManifestsPath"] = string.Empty,
            ["AgentTools:AllowedOrigins:0"] = _app.Urls.Single(),
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddAgentTools(configuration);
        _tools = services.BuildServiceProvider();
        var manifest = Manifest(new Uri(_app.Urls.Single()));
        var result = _tools.GetRequiredService<ToolRegistry>().Register(manifest, "runtime:unruly");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
    }

    public async Task DisposeAsync()
    {
        if (_tools is not null)
        {
            await _tools.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<ToolInvocationResult> CallAsync(string path)
    {
        var tool = _tools!.GetRequiredService<ToolRegistry>().Current.Get("unruly_get");
        using var arguments = JsonDocument.Parse($$"""{ "path": "{{path}}" }""");
        return await _tools!.GetRequiredService<IToolInvoker>().InvokeAsync(tool, arguments.RootElement, "s1:t1:c1", CancellationToken.None);
    }

    [Fact]
    public async Task InvokeAsync_ServiceRedirectsToAnotherHost_IsNotFollowed()
    {
        var result = await CallAsync("redirect");

        Assert.Equal((ToolErrorCodes.RedirectNotFollowed, 302, false), (result.ErrorCode, result.HttpStatus, result.IsRetryable));
        Assert.Contains("https://attacker.example.net/collect", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_BodyOverTheLimit_FailsWithoutReadingItAll()
    {
        var result = await CallAsync("huge");

        Assert.Equal((ToolErrorCodes.InvalidResponse, false), (result.ErrorCode, result.IsRetryable));
        Assert.Equal("the response is larger than 1048576 bytes", result.ErrorMessage);
    }

    [Fact]
    public async Task InvokeAsync_SuccessThatIsNotJson_FailsAsInvalidResponse()
    {
        var result = await CallAsync("html");

        Assert.Equal((ToolErrorCodes.InvalidResponse, 200, false), (result.ErrorCode, result.HttpStatus, result.IsRetryable));
    }

    [Fact]
    public async Task InvokeAsync_503ErrorPageWithRetryAfter_IsRetryableAfterTheServicesDelay()
    {
        var result = await CallAsync("busy");

        Assert.Equal(("http_503", 503, true), (result.ErrorCode, result.HttpStatus, result.IsRetryable));
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    [Fact]
    public async Task InvokeAsync_409ToARequestWithoutAKey_IsARetryableFailureNotInProgress()
    {
        var result = await CallAsync("conflict");

        Assert.Equal((ToolOutcome.RetryableFailure, "edit_conflict", false), (result.Outcome, result.ErrorCode, result.IsInProgress));
        Assert.Equal(TimeSpan.FromSeconds(3), result.RetryAfter);
    }

    private static string Manifest(Uri baseUri) => $$"""
        {
          "service": "unruly",
          "http": { "baseUrl": "{{baseUri}}" },
          "tools": [
            {
              "name": "unruly_get",
              "version": "1.0.0",
              "description": "Reads one of the unruly service's pages.",
              "parameters": { "type": "object", "properties": { "path": { "type": "string", "enum": ["redirect", "huge", "html", "busy", "conflict"] } }, "required": ["path"], "additionalProperties": false },
              "binding": { "http": { "method": "GET", "path": "/{path}" } },
              "effects": { "readOnly": true }
            }
          ]
        }
        """;
}
