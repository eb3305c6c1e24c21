using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace AgentOrchestrator.Functions;

/// <summary>
/// The admin API for support staff, under <c>/v1/admin</c> (<see cref="FunctionRoutes.StaffPrefix"/>: the Functions host
/// keeps <c>/admin</c> for itself); each function runs the API's <c>/admin</c> endpoint for its route.
/// </summary>
public sealed class StaffFunctions(ApiHttpTriggerRunner api)
{
    private const string Sessions = FunctionRoutes.StaffPrefix + "/sessions";
    private const string Session = Sessions + "/{id}";
    private const string Chain = Session + "/chains/{chainId}";
    private const string DeadLetters = FunctionRoutes.StaffPrefix + "/dead-letters";

    /// <summary><c>GET /v1/admin/sessions</c>: lists sessions.</summary>
    [Function("StaffListSessions")]
    public Task<IActionResult> ListSessions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Sessions)] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>GET /v1/admin/sessions/{id}</c>: reads one session's status.</summary>
    [Function("StaffGetSession")]
    public Task<IActionResult> GetSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Session)] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>GET /v1/admin/sessions/{id}/events</c>: reads the session's timeline.</summary>
    [Function("StaffReadEvents")]
    public Task<IActionResult> ReadEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Session + "/events")] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>GET /v1/admin/sessions/{id}/history</c>: reads the raw orchestration history, masked.</summary>
    [Function("StaffReadHistory")]
    public Task<IActionResult> ReadHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Session + "/history")] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>POST /v1/admin/sessions/{id}/chains/{chainId}/retry</c>: runs a parked chain's compensations again.</summary>
    [Function("StaffRetryChain")]
    public Task<IActionResult> RetryChain(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Chain + "/retry")] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>POST /v1/admin/sessions/{id}/chains/{chainId}/resolve</c>: records a parked chain as put right by hand.</summary>
    [Function("StaffResolveChain")]
    public Task<IActionResult> ResolveChain(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Chain + "/resolve")] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>POST /v1/admin/sessions/{id}/suspend</c>: suspends the session.</summary>
    [Function("StaffSuspendSession")]
    public Task<IActionResult> SuspendSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Session + "/suspend")] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>POST /v1/admin/sessions/{id}/resume</c>: resumes a suspended session.</summary>
    [Function("StaffResumeSession")]
    public Task<IActionResult> ResumeSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Session + "/resume")] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>POST /v1/admin/sessions/{id}/terminate</c>: terminates the session by force.</summary>
    [Function("StaffTerminateSession")]
    public Task<IActionResult> TerminateSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Session + "/terminate")] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>DELETE /v1/admin/sessions/{id}</c>: purges an ended session.</summary>
    [Function("StaffPurgeSession")]
    public Task<IActionResult> PurgeSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Session)] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>GET /v1/admin/dead-letters</c>: lists set-aside messages (none on the Functions host's provider).</summary>
    [Function("StaffListDeadLetters")]
    public Task<IActionResult> ListDeadLetters(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = DeadLetters)] HttpRequest request)
        => api.RunAsync(request);

    /// <summary><c>POST /v1/admin/dead-letters/{letterId}/resubmit</c>: puts a set-aside message back.</summary>
    [Function("StaffResubmitDeadLetter")]
    public Task<IActionResult> ResubmitDeadLetter(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = DeadLetters + "/{letterId:long}/resubmit")] HttpRequest request)
        => api.RunAsync(request);
}
