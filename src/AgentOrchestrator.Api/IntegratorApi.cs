using System.Text;
using AgentOrchestrator.Api.Security;
using AgentOrchestrator.Tools;

namespace AgentOrchestrator.Api;

/// <summary>
/// The integrator API: the tools in force and their versions, and manifests published at run time (validated,
/// versioned, persisted to the manifest folder, HTTP origins checked against <c>AgentTools:AllowedOrigins</c>), with no
/// redeploy. Running sessions keep the tool versions they started with.
/// </summary>
public static class IntegratorApi
{
    /// <summary>Maps <c>/v1/tools</c> (integrator or admin keys) and <c>/v1/manifests/{name}</c> (reads: integrator or admin; changes: integrator).</summary>
    public static IEndpointRouteBuilder MapIntegratorApi(this IEndpointRouteBuilder endpoints)
    {
        var read = endpoints.MapGroup("/v1").RequireApiKey(ApiRole.Integrator, ApiRole.Admin).WithTags("Tools");
        read.MapGet("/tools", (ToolRegistry registry) =>
            {
                var catalog = registry.Current;
                return Results.Ok(new
                {
                    catalogVersion = catalog.Version,
                    tools = catalog.Tools.OrderBy(t => t.Name, StringComparer.Ordinal).Select(ToolView.From),
                    problems = registry.Problems.Select(p => p.ToString()),
                });
            })
            .WithSummary("Lists the tools in force with their versions, and the problems of manifests whose latest change was rejected.");
        read.MapGet("/manifests/{name}", (string name, ToolRegistry registry) =>
                registry.TryGetManifest(name + ".json", out var json)
                    ? Results.Text(json, "application/json", Encoding.UTF8)
                    : Results.Problem(statusCode: 404, title: "Manifest not found", detail: $"No manifest '{name}' is in force."))
            .WithSummary("Reads the text of a manifest in force.");

        var write = endpoints.MapGroup("/v1/manifests").RequireApiKey(ApiRole.Integrator).WithTags("Tools");
        write.MapPut("/{name}", PublishAsync)
            .Accepts<object>("application/json")
            .WithSummary("Registers or updates a manifest: checked like a file, persisted as {name}.json, or refused with every problem named.");
        write.MapDelete("/{name}", async (string name, ToolRegistry registry, CancellationToken ct) =>
                Outcome(await registry.UnpublishAsync(name, ct), name))
            .WithSummary("Removes a manifest and its tools, unless another manifest's compensation needs them; 404 when no manifest has that name.");
        return endpoints;
    }

    private static async Task<IResult> PublishAsync(string name, HttpRequest request, ToolRegistry registry, CancellationToken ct)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem(statusCode: 415, title: "Unsupported media type", detail: "Send the manifest as application/json.");
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var json = await reader.ReadToEndAsync(ct);
        return Outcome(await registry.PublishAsync(name, json, ct), name);
    }

    private static IResult Outcome(ToolRegistrationResult result, string name)
    {
        if (result.IsNotFound)
        {
            return Results.Problem(statusCode: 404, title: "Manifest not found", detail: $"No manifest '{name}' is registered; nothing changed.");
        }

        if (!result.Succeeded)
        {
            return Results.Problem(
                statusCode: 422,
                title: "Manifest refused",
                detail: $"The change to '{name}' was refused; the version in force is unchanged.",
                extensions: new Dictionary<string, object?> { ["errors"] = result.Errors.Select(e => e.ToString()).ToList() });
        }

        return Results.Ok(new { name, catalogVersion = result.CatalogVersion, accepted = result.Accepted });
    }
}
