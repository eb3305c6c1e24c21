using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace AgentOrchestrator.Functions;

/// <summary>The session API for chat frontends (<c>/v1/sessions</c>); each function runs the API's endpoint for its route.</summary>
public sealed class SessionFunctions(ApiHttpTriggerRunner api)
{
    private const string Sessions = "v1/sessions";
    private const string Session = Sessions + "/{id}";

    /// <summary><c>POST /v1/sessions</c>: starts a session.</summary>
    [Function("StartSession")]
    public Task<IActionResult> StartSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Sessions)] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>GET /v1/sessions/{id}</c>: reads a session's status.</summary>
    [Function("GetSession")]
    public Task<IActionResult> GetSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Session)] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>POST /v1/sessions/{id}/messages</c>: sends a user message.</summary>
    [Function("SendMessage")]
    public Task<IActionResult> SendMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Session + "/messages")] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>GET /v1/sessions/{id}/events</c>: streams the session's events (server-sent events).</summary>
    [Function("StreamEvents")]
    public Task<IActionResult> StreamEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Session + "/events")] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>POST /v1/sessions/{id}/approvals/{callId}</c>: approves or denies a tool call.</summary>
    [Function("DecideApproval")]
    public Task<IActionResult> DecideApproval(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Session + "/approvals/{callId}")] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>POST /v1/sessions/{id}/cancel</c>: cancels the running turn.</summary>
    [Function("CancelTurn")]
    public Task<IActionResult> CancelTurn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Session + "/cancel")] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);

    /// <summary><c>DELETE /v1/sessions/{id}</c>: ends the session after its running turn.</summary>
    [Function("EndSession")]
    public Task<IActionResult> EndSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Session)] HttpRequest request, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(request, durable);
}
