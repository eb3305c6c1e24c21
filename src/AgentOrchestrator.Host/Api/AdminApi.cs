using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Durable;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Host.Security;

namespace AgentOrchestrator.Host.Api;

/// <summary>The admin API for support staff (<c>/admin</c>).</summary>
public static class AdminApi
{
    /// <summary>Maps the admin endpoints; every one needs an admin key.</summary>
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin").RequireApiKey(ApiRole.Admin).WithTags("Admin");

        group.MapGet("/sessions", async (AgentSessionClient sessions, bool? needsAttention, string? status, string? page, CancellationToken ct) =>
        {
            IReadOnlyCollection<OrchestrationRuntimeStatus>? statuses = null;
            if (status is not null)
            {
                if (!Enum.TryParse<OrchestrationRuntimeStatus>(status, ignoreCase: true, out var parsed))
                {
                    return Results.Problem(statusCode: 400, title: "Invalid filter", detail: $"status '{status}' is not one of {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.");
                }

                statuses = [parsed];
            }

            var result = await sessions.ListSessionsAsync(new SessionQuery { NeedsAttentionOnly = needsAttention == true, Statuses = statuses, ContinuationToken = page }, ct);
            return Results.Ok(new { sessions = result.Sessions.Select(SessionView.From), next = result.ContinuationToken });
        });

        group.MapGet("/sessions/{id}/events", async (string id, AgentSessionClient sessions, long? after, CancellationToken ct) =>
            await sessions.GetStatusAsync(id, ct) is null
                ? SessionApi.NotFound(id)
                : Results.Ok((await sessions.ReadEventsAsync(id, after ?? 0, 1000, ct)).Select(e => new
                {
                    e.Sequence,
                    e.Kind,
                    e.Timestamp,
                    Data = System.Text.Json.JsonDocument.Parse(Redaction.Redact(e.Data.GetRawText())).RootElement,
                })));

        group.MapGet("/sessions/{id}/history", async (string id, DurableTaskClient durable, CancellationToken ct) =>
        {
            var history = await durable.GetHistoryAsync(id, ct);
            return history.Count == 0 ? SessionApi.NotFound(id) : Results.Text($"[{string.Join(",", history.Select(HistorySerializer.Serialize))}]", "application/json");
        });

        group.MapPost("/sessions/{id}/chains/{chainId}/{action}", async (string id, string chainId, string action, ReasonRequest? body, HttpContext http, AgentSessionClient sessions, CancellationToken ct) =>
        {
            if (!Enum.TryParse<ChainActionKind>(action, ignoreCase: true, out var kind))
            {
                return Results.Problem(statusCode: 400, title: "Unknown action", detail: $"'{action}' is not retry or resolve.");
            }

            await sessions.ActOnParkedChainAsync(id, new ChainAction(chainId, kind, http.Caller().KeyId, body?.Reason), ct);
            return Results.Accepted($"/v1/sessions/{id}");
        });

        group.MapPost("/sessions/{id}/{operation}", async (string id, string operation, DurableTaskClient durable, CancellationToken ct) =>
        {
            if (await durable.GetInstanceAsync(id, ct) is null)
            {
                return SessionApi.NotFound(id);
            }

            switch (operation)
            {
                case "suspend": await durable.SuspendInstanceAsync(id, "suspended by staff", ct); break;
                case "resume": await durable.ResumeInstanceAsync(id, "resumed by staff", ct); break;
                case "terminate": await durable.TerminateInstanceAsync(id, "terminated by staff (no compensation runs)", ct); break;
                default: return Results.Problem(statusCode: 400, title: "Unknown operation", detail: $"'{operation}' is not suspend, resume or terminate.");
            }

            return Results.Accepted($"/v1/sessions/{id}");
        });

        group.MapDelete("/sessions/{id}", async (string id, DurableTaskClient durable, CancellationToken ct) =>
            await durable.PurgeInstanceAsync(id, ct) ? Results.NoContent() : Results.Problem(statusCode: 409, title: "Not purged", detail: $"Session '{id}' does not exist or has not ended."));

        group.MapGet("/dead-letters", async (DurableTaskClient durable, CancellationToken ct) => Results.Ok(await durable.GetDeadLettersAsync(null, 100, ct)));
        return group;
    }
}
