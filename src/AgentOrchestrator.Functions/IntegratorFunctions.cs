using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace AgentOrchestrator.Functions;

/// <summary>The integrator API (<c>/v1/tools</c>, <c>/v1/manifests</c>); each function runs the API's endpoint for its route.</summary>
public sealed class IntegratorFunctions(ApiHttpTriggerRunner api)
{
    private const string Manifest = "v1/manifests/{name}";

    /// <summary><c>GET /v1/tools</c>: lists the tools in force.</summary>
    [Function("ListTools")]
    public Task<IActionResult> ListTools([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/tools")] HttpRequest request)
        => api.RunAsync(request);

    /// <summary><c>GET /v1/manifests/{name}</c>: reads a manifest in force.</summary>
    [Function("GetManifest")]
    public Task<IActionResult> GetManifest([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Manifest)] HttpRequest request)
        => api.RunAsync(request);

    /// <summary><c>PUT /v1/manifests/{name}</c>: registers or updates a manifest.</summary>
    [Function("PublishManifest")]
    public Task<IActionResult> PublishManifest([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Manifest)] HttpRequest request)
        => api.RunAsync(request);

    /// <summary><c>DELETE /v1/manifests/{name}</c>: removes a manifest.</summary>
    [Function("DeleteManifest")]
    public Task<IActionResult> DeleteManifest([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Manifest)] HttpRequest request)
        => api.RunAsync(request);
}
