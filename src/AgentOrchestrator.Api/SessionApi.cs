using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Api.Security;
using AgentOrchestrator.Api.Telemetry;

namespace AgentOrchestrator.Api;

/// <summary>The session API for chat frontends (<c>/v1/sessions</c>).</summary>
public static class SessionApi
{
    /// <summary>The header that makes a session start safe to retry.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Maps the session endpoints; every one needs a client or admin key, and a client sees only its own sessions.</summary>
    public static RouteGroupBuilder MapSessionApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/sessions").RequireApiKey(ApiRole.Client, ApiRole.Admin).WithTags("Sessions");

        group.MapPost("/", async (StartSessionRequest? body, HttpContext http, AgentSessionClient sessions, SessionPresenter presenter, HostTelemetry telemetry, CancellationToken ct) =>
        {
            var key = http.Request.Headers[IdempotencyKeyHeader].FirstOrDefault();
            if ((RequestLimits.CheckText("message", body?.Message, required: false) ?? RequestLimits.CheckId(IdempotencyKeyHeader, key)) is { } invalid)
            {
                return invalid;
            }

            var start = await sessions.StartSessionAsync(http.Caller().KeyId, body?.Message, key, ct);
            if (!start.Created)
            {
                // A retried start (same key, same message): the session the first one made, and nothing started again.
                return Results.Ok(presenter.ForClient(start.Status));
            }

            telemetry.SessionsStarted.Add(1);
            return Results.Created($"/v1/sessions/{start.SessionId}", presenter.ForClient(start.Status));
        })
            .WithSummary("Starts a session, optionally with a first message; 201 with the session and its Location. With an Idempotency-Key header a retry returns 200 and the same session; the same key with another message is 422.");

        group.MapGet("/{id}", async (string id, HttpContext http, AgentSessionClient sessions, SessionPresenter presenter, CancellationToken ct) =>
            await OwnedAsync(id, http, sessions, ct) is { } status ? Results.Ok(presenter.ForClient(status)) : NotFound(id))
            .WithSummary("Reads a session's status: turn, phase, pending approvals, tokens, cost, needs-attention.");

        group.MapPost("/{id}/messages", async (string id, SendMessageRequest? body, HttpContext http, AgentSessionClient sessions, SessionPresenter presenter, CancellationToken ct) =>
        {
            if ((RequestLimits.CheckText("text", body?.Text, required: true) ?? RequestLimits.CheckMessageId(body?.MessageId)) is { } invalid)
            {
                return invalid;
            }

            if (await OwnedAsync(id, http, sessions, ct) is null)
            {
                return NotFound(id);
            }

            var receipt = await sessions.SendMessageAsync(id, body!.Text!, body.MessageId, ct);
            return receipt.Duplicate
                ? Results.Ok(new
                {
                    sessionId = id,
                    messageId = receipt.MessageId,
                    duplicate = true,
                    turn = receipt.Turn,
                    answer = receipt.Answer is null ? null : presenter.ForClient(receipt.Answer),
                })
                : Results.Accepted($"/v1/sessions/{id}", new { sessionId = id, messageId = receipt.MessageId });
        })
            .WithSummary("Sends a user message (202). A resend with the same messageId starts nothing: 200 with the turn it started and its answer once there is one; the same messageId with other text is 409.");

        group.MapGet("/{id}/events", async (string id, HttpContext http, AgentSessionClient sessions, SessionEventStream stream, long? after, string? stopAfter, CancellationToken ct) =>
        {
            if (SessionEventStream.CheckRequest(http, after, stopAfter, out var cursor) is { } invalid)
            {
                return invalid;
            }

            if (await OwnedAsync(id, http, sessions, ct) is null)
            {
                return NotFound(id);
            }

            await stream.WriteAsync(http, sessions, id, cursor, stopAfter, ct);
            return Results.Empty;
        })
            .WithSummary("Streams the session's events as server-sent events; resume with Last-Event-ID or ?after=, end with ?stopAfter={kind}.");

        group.MapPost("/{id}/approvals/{callId}", async (string id, string callId, ApprovalRequest? body, HttpContext http, AgentSessionClient sessions, CancellationToken ct) =>
        {
            if (body?.Approved is not { } approved)
            {
                return ApiProblems.Invalid("approved", "The body needs \"approved\": true or false.");
            }

            if (RequestLimits.CheckReason(body.Reason) is { } invalid)
            {
                return invalid;
            }

            if (await OwnedAsync(id, http, sessions, ct) is null)
            {
                return NotFound(id);
            }

            await sessions.DecideApprovalAsync(id, new ApprovalDecision(callId, approved, http.Caller().KeyId, body.Reason), ct);
            return Results.Accepted($"/v1/sessions/{id}");
        })
            .WithSummary("Approves or denies a tool call that waits for approval.");

        group.MapPost("/{id}/cancel", async (string id, ReasonRequest? body, HttpContext http, AgentSessionClient sessions, CancellationToken ct) =>
        {
            if (RequestLimits.CheckReason(body?.Reason) is { } invalid)
            {
                return invalid;
            }

            if (await OwnedAsync(id, http, sessions, ct) is null)
            {
                return NotFound(id);
            }

            await sessions.CancelTurnAsync(id, body?.Reason, ct);
            return Results.Accepted($"/v1/sessions/{id}");
        })
            .WithSummary("Cancels the running turn; its completed steps are rolled back.");

        group.MapDelete("/{id}", async (string id, HttpContext http, AgentSessionClient sessions, CancellationToken ct) =>
        {
            if (await OwnedAsync(id, http, sessions, ct) is null)
            {
                return NotFound(id);
            }

            await sessions.EndSessionAsync(id, ct);
            return Results.Accepted($"/v1/sessions/{id}");
        })
            .WithSummary("Ends the session after its running turn.");

        return group;
    }

    /// <summary>The session when the caller may see it; a client's foreign session looks exactly like a missing one.</summary>
    internal static async Task<SessionStatus?> OwnedAsync(string id, HttpContext http, AgentSessionClient sessions, CancellationToken ct)
    {
        var status = await sessions.GetStatusAsync(id, ct);
        var caller = http.Caller();
        return status is not null && (caller.Role == ApiRole.Admin || status.Progress.Owner == caller.KeyId) ? status : null;
    }

    internal static IResult NotFound(string id)
        => Results.Problem(statusCode: 404, title: "Session not found", detail: $"There is no session '{id}' visible to this key.");
}
