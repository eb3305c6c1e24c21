using Microsoft.Extensions.FileProviders;

namespace AgentOrchestrator.Host.Api;

/// <summary>Serves the support staff's page: static HTML, JS and CSS from <c>wwwroot/admin</c> beside the host's binaries.</summary>
public static class AdminPage
{
    /// <summary>The folder the page is served from.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>
    /// Serves <c>/admin/</c> (and its files) with a strict content security policy. The page holds no data: it asks for an
    /// admin key and calls the admin API with it, so the files need no key themselves.
    /// </summary>
    public static WebApplication UseAdminPage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var files = new PhysicalFileProvider(Root);
        app.Use((http, next) =>
        {
            if (http.Request.Path.Value == "/admin")
            {
                http.Response.Redirect("/admin/");
                return Task.CompletedTask;
            }

            return next(http);
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = string.Empty });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }
}
