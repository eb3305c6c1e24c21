using System.Text.Json;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Api.Security;
using AgentOrchestrator.Api.DeadLetters;
using Microsoft.DurableTask.Client;
using Newtonsoft.Json;

namespace AgentOrchestrator.Api;

/// <summary>The admin API for support staff (<c>/admin</c>); the page at <c>/admin/</c> is built on it.</summary>
public static class AdminApi
{
    /// <summary>Maps the admin endpoints; every one needs an admin key. Personal data and secrets are masked in everything they return.</summary>
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin").RequireApiKey(ApiRole.Admin).WithTags("Admin");

        group.MapGet("/sessions", ListAsync)
            .WithSummary("Lists sessions, newest first, filtered by runtime status, owner and whether they need attention.");
        group.MapGet("/sessions/{id}", async (string id, AgentSessionClient sessions, CancellationToken ct) =>
                await sessions.GetStatusAsync(id, ct) is { } status ? Results.Ok(SessionPresenter.ForStaff(status)) : SessionApi.NotFound(id))
            .WithSummary("Reads one session's status, with its parked chains and open chain.");
        group.MapGet("/sessions/{id}/events", EventsAsync)
            .WithSummary("Reads the session's event log (the timeline), oldest first, after a sequence number.");
        group.MapGet("/sessions/{id}/history", HistoryAsync)
            .WithSummary("Reads the session's raw orchestration history, with secrets and personal data masked.");
        group.MapPost("/sessions/{id}/chains/{chainId}/retry", (string id, string chainId, ReasonRequest? body, HttpContext http, AgentSessionClient sessions, CancellationToken ct)
                => ActOnChainAsync(id, new ChainAction(chainId, ChainActionKind.Retry, http.Caller().KeyId, body?.Reason), sessions, ct))
            .WithSummary("Runs a parked chain's failed compensations again, with their original idempotency keys.");
        group.MapPost("/sessions/{id}/chains/{chainId}/resolve", (string id, string chainId, ReasonRequest? body, HttpContext http, AgentSessionClient sessions, CancellationToken ct)
                => ActOnChainAsync(id, new ChainAction(chainId, ChainActionKind.Resolve, http.Caller().KeyId, body?.Reason), sessions, ct))
            .WithSummary("Records that a parked chain was put right by hand; nothing runs.");
        group.MapPost("/sessions/{id}/suspend", (string id, ReasonRequest? body, HttpContext http, AgentSessionClient sessions, CancellationToken ct)
                => ControlAsync(id, body, sessions, (s, t) => s.SuspendAsync(id, Note("suspended", http, body), t), ct))
            .WithSummary("Suspends the session: it keeps its events and resumes where it stopped.");
        group.MapPost("/sessions/{id}/resume", (string id, ReasonRequest? body, HttpContext http, AgentSessionClient sessions, CancellationToken ct)
                => ControlAsync(id, body, sessions, (s, t) => s.ResumeAsync(id, Note("resumed", http, body), t), ct))
            .WithSummary("Resumes a suspended session.");
        group.MapPost("/sessions/{id}/terminate", (string id, ReasonRequest? body, HttpContext http, AgentSessionClient sessions, CancellationToken ct)
                => ControlAsync(id, body, sessions, (s, t) => s.TerminateAsync(id, Note("terminated", http, body) + " (no compensation runs)", t), ct))
            .WithSummary("Terminates the session by force: no compensation runs, and its status says which steps were left.");
        group.MapDelete("/sessions/{id}", PurgeAsync)
            .WithSummary("Purges an ended session with its history and event log.");
        group.MapGet("/dead-letters", async (string? sessionId, int? limit, IDeadLetterSource deadLetters, CancellationToken ct) =>
            {
                if (RequestLimits.CheckRange("limit", limit, 1, RequestLimits.MaxDeadLettersPerRead) is { } invalid)
                {
                    return invalid;
                }

                var letters = await deadLetters.ListAsync(sessionId, limit ?? 100, ct);
                return Results.Ok(new
                {
                    available = deadLetters.Unavailable is null,
                    note = deadLetters.Unavailable,
                    deadLetters = letters.Select(d => d with { Payload = d.Payload is null ? null : Redaction.ForStaff(d.Payload) }),
                });
            })
            .WithSummary("Lists messages the orchestration service set aside after too many deliveries (poison messages); Azure Storage has none to list.");
        group.MapPost("/dead-letters/{letterId:long}/resubmit", async (long letterId, IDeadLetterSource deadLetters, CancellationToken ct) =>
                await deadLetters.ResubmitAsync(letterId, ct)
                    ? Results.Accepted("/admin/dead-letters")
                    : Results.Problem(statusCode: 404, title: "Not resubmitted", detail: deadLetters.Unavailable
                        ?? $"There is no set-aside orchestration message {letterId} (an activity task cannot be put back: its session was told it failed)."))
            .WithSummary("Puts a set-aside orchestration message back into its session's inbox.");
        return group;
    }

    private static async Task<IResult> ListAsync(
        AgentSessionClient sessions, bool? needsAttention, string? status, string? owner, int? pageSize, string? page, CancellationToken ct)
    {
        IReadOnlyCollection<OrchestrationRuntimeStatus>? statuses = null;
        if (!string.IsNullOrEmpty(status))
        {
            var parsed = new List<OrchestrationRuntimeStatus>();
            foreach (var name in status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Enum.TryParse<OrchestrationRuntimeStatus>(name, ignoreCase: true, out var one) || int.TryParse(name, out _))
                {
                    return ApiProblems.Invalid("status", $"Query parameter 'status' holds '{name}', which is not one of {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.");
                }

                parsed.Add(one);
            }

            statuses = parsed;
        }

        if (RequestLimits.CheckRange("pageSize", pageSize, 1, 500) is { } invalid)
        {
            return invalid;
        }

        SessionPage result;
        try
        {
            result = await sessions.ListSessionsAsync(
                new SessionQuery { NeedsAttentionOnly = needsAttention == true, Statuses = statuses, Owner = owner, PageSize = pageSize ?? 50, ContinuationToken = page }, ct);
        }
        catch (Exception ex) when (page is not null && ex is ArgumentException or FormatException)
        {
            return ApiProblems.Invalid("page", "Query parameter 'page' is not a page this host handed out; pass the \"next\" value of the previous page as it was.");
        }

        return Results.Ok(new { sessions = result.Sessions.Select(SessionPresenter.ForStaff), next = result.ContinuationToken });
    }

    private static async Task<IResult> EventsAsync(string id, AgentSessionClient sessions, long? after, int? max, CancellationToken ct)
    {
        if ((RequestLimits.CheckRange("after", after, 0, long.MaxValue) ?? RequestLimits.CheckRange("max", max, 1, RequestLimits.MaxEventsPerRead)) is { } invalid)
        {
            return invalid;
        }

        if (await sessions.GetStatusAsync(id, ct) is null)
        {
            return SessionApi.NotFound(id);
        }

        var events = await sessions.ReadEventsAsync(id, after ?? 0, max ?? RequestLimits.MaxEventsPerRead, ct);
        return Results.Ok(events.Where(e => e.Kind != SessionEventStream.TranscriptKind).Select(e => new
        {
            e.Sequence,
            e.Kind,
            e.Timestamp,
            Data = SessionPresenter.ForStaff(e),
        }));
    }

    private static async Task<IResult> HistoryAsync(string id, AgentSessionClient sessions, CancellationToken ct)
    {
        if (await sessions.GetStatusAsync(id, ct) is null)
        {
            return SessionApi.NotFound(id);
        }

        // DTFx's own history events (Newtonsoft-shaped, each naming its EventType), masked for staff.
        var history = await sessions.GetHistoryAsync(id, ct);
        using var raw = JsonDocument.Parse(JsonConvert.SerializeObject(history, new Newtonsoft.Json.Converters.StringEnumConverter()));
        return Results.Json(Redaction.ForStaff(raw.RootElement));
    }

    private static async Task<IResult> ActOnChainAsync(string id, ChainAction action, AgentSessionClient sessions, CancellationToken ct)
    {
        if (RequestLimits.CheckReason(action.Note) is { } invalid)
        {
            return invalid;
        }

        if (await sessions.GetStatusAsync(id, ct) is null)
        {
            return SessionApi.NotFound(id);
        }

        await sessions.ActOnParkedChainAsync(id, action, ct);
        return Results.Accepted($"/admin/sessions/{id}", new { sessionId = id, chainId = action.ChainId, action = action.Action.ToString().ToLowerInvariant() });
    }

    private static async Task<IResult> ControlAsync(
        string id, ReasonRequest? body, AgentSessionClient sessions, Func<AgentSessionClient, CancellationToken, Task> operation, CancellationToken ct)
    {
        if (RequestLimits.CheckReason(body?.Reason) is { } invalid)
        {
            return invalid;
        }

        if (await sessions.GetStatusAsync(id, ct) is not { } status)
        {
            return SessionApi.NotFound(id);
        }

        if (status.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
        {
            return Results.Problem(statusCode: 409, title: "Session ended", detail: $"Session '{id}' is {status.RuntimeStatus.ToString().ToLowerInvariant()}; only a running or suspended session can be controlled.");
        }

        await operation(sessions, ct);
        return Results.Accepted($"/admin/sessions/{id}");
    }

    private static async Task<IResult> PurgeAsync(string id, AgentSessionClient sessions, CancellationToken ct)
    {
        if (await sessions.GetStatusAsync(id, ct) is not { } status)
        {
            return SessionApi.NotFound(id);
        }

        return await sessions.PurgeAsync(id, ct)
            ? Results.NoContent()
            : Results.Problem(statusCode: 409, title: "Not purged", detail: $"Session '{id}' is {status.RuntimeStatus.ToString().ToLowerInvariant()}; only an ended session can be purged (terminate it first).");
    }

    private static string Note(string what, HttpContext http, ReasonRequest? body)
        => $"{what} by {http.Caller().KeyId}" + (string.IsNullOrWhiteSpace(body?.Reason) ? string.Empty : $": {body.Reason}");
}
