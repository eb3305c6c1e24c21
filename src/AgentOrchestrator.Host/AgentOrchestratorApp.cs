using AgentOrchestrator.Host.Api;
using AgentOrchestrator.Host.Security;
using AgentOrchestrator.SampleServices;

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
        builder.Configuration.AddAgentOrchestratorConfiguration(builder.Environment);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Services.AddAgentOrchestratorHost(builder.Configuration);
        return builder;
    }

    /// <summary>Maps the endpoints: sample services under <c>/samples</c>, the session and admin APIs, health.</summary>
    public static WebApplication MapAgentOrchestrator(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapSampleServices("/samples");
        app.MapSessionApi();
        app.MapAdminApi();
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
        if (app.Services.GetRequiredService<ApiKeyAuthenticator>().UsesDemoKeys)
        {
            HostLog.DemoKeysInUse(app.Logger);
        }

        return app;
    }
}
