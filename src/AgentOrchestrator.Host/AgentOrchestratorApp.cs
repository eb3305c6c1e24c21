using AgentOrchestrator.Api;
using AgentOrchestrator.Host.Api;
using AgentOrchestrator.Api.Security;
using AgentOrchestrator.SampleServices;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AgentOrchestrator.Host;

/// <summary>Builds the service the same way for <c>Program</c> and for tests.</summary>
public static class AgentOrchestratorApp
{
    /// <summary>Creates the builder: content root, configuration sources, services.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="contentRoot">The content root; default <see cref="ContentRoot.Locate"/>.</param>
    /// <param name="overrides">Settings applied last (tests use them for ports and folders).</param>
    public static WebApplicationBuilder CreateBuilder(string[] args, string? contentRoot = null, IDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = contentRoot ?? ContentRoot.Locate() });
        builder.Configuration.AddAgentOrchestratorConfiguration(builder.Environment, args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Services.AddAgentOrchestratorHost(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Adds the middleware and endpoints: problem details, the guard against control characters in paths, the per-key rate limiter, the admin page, the sample services
    /// under <c>/samples</c> (not rate limited by the API's limiter), the session, admin and integrator APIs, the OpenAPI
    /// document and the health endpoints.
    /// </summary>
    public static WebApplication MapAgentOrchestrator(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestPathGuard();
        app.UseRateLimiter();
        app.UseAdminPage();
        // The sample services are another service that happens to share this process; they check their own key. Their
        // callers are this host's tools, which the API's per-key limiter must not throttle (it saw them as anonymous).
        app.MapSampleServices("/samples").DisableRateLimiting();
        app.MapAgentOrchestratorApi();
        app.MapOpenApi().ExcludeFromDescription();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).DisableRateLimiting();
        var demoKeys = app.Services.GetRequiredService<ApiKeyAuthenticator>().UsesDemoKeys;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
            HostLog.Started(app.Logger, address);
            if (demoKeys)
            {
                HostLog.DemoKeysInUse(app.Logger, address);
            }
        });
        return app;
    }
}
