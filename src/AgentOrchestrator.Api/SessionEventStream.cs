using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Api.Telemetry;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Api;

/// <summary>
/// Streams a session's event log as server-sent events, as its client sees them (<see cref="SessionPresenter"/>):
/// <c>id</c> is the event's sequence number, so a client that reconnects with <c>Last-Event-ID</c> (or <c>?after=</c>)
/// gets exactly what it missed, from any host.
/// </summary>
public sealed class SessionEventStream(
    SessionPresenter presenter, SessionEventNotifier notifier, TimeProvider time, HostTelemetry telemetry, IOptions<JsonOptions> json)
{
    /// <summary>The kind of the model's own transcript records, which the event stream and timeline leave out.</summary>
    public const string TranscriptKind = "transcript";

    private const string LastEventIdHeader = "Last-Event-ID";
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>The event kinds a session writes (<see cref="SessionEventKinds"/>), which <c>stopAfter</c> may name.</summary>
    public static readonly IReadOnlySet<string> Kinds = typeof(SessionEventKinds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Checks a stream request before anything is sent: <c>after</c> and the <c>Last-Event-ID</c> header must be event
    /// ids (whole numbers, 0 or more) and <c>stopAfter</c> an event kind. The stream starts after the later of the two ids:
    /// a browser's <c>EventSource</c> reconnects to the same URL (with its <c>?after=</c>) and sends the last id it got.
    /// </summary>
    /// <returns>The refusal, or null with <paramref name="cursor"/> set.</returns>
    public static IResult? CheckRequest(HttpContext http, long? after, string? stopAfter, out long cursor)
    {
        ArgumentNullException.ThrowIfNull(http);
        cursor = 0;
        if (RequestLimits.CheckRange("after", after, 0, long.MaxValue) is { } invalid)
        {
            return invalid;
        }

        var header = http.Request.Headers[LastEventIdHeader];
        long last = 0;
        if (header.Count > 0 && !long.TryParse(header.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out last))
        {
            return ApiProblems.Invalid(
                LastEventIdHeader, $"Header {LastEventIdHeader} is \"{header}\"; it must be the id of an event this stream sent (a whole number, 0 or more).");
        }

        if (stopAfter is not null && !Kinds.Contains(stopAfter))
        {
            return ApiProblems.Invalid(
                "stopAfter", $"Query parameter 'stopAfter' is \"{stopAfter}\"; it must be an event kind: {string.Join(", ", Kinds.Order(StringComparer.Ordinal))}.");
        }

        cursor = Math.Max(after ?? 0, last);
        return null;
    }

    /// <summary>Writes events after <paramref name="cursor"/> until the client goes away, or until an event of kind <paramref name="stopAfter"/> has been sent.</summary>
    /// <param name="http">The request, whose response is the stream.</param>
    /// <param name="sessions">Reads the session's log (the request's own: a host may give each request its own client).</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="cursor">The last event the client has.</param>
    /// <param name="stopAfter">The event kind that ends the stream, if any.</param>
    /// <param name="cancellationToken">Ends the stream (the client went away).</param>
    public async Task WriteAsync(HttpContext http, AgentSessionClient sessions, string sessionId, long cursor, string? stopAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(sessions);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.Body.FlushAsync(cancellationToken);
        var quietSince = time.GetTimestamp();
        telemetry.StreamsOpen.Add(1);
        try
        {
            var shown = new ClientEventSequence(presenter);
            if (cursor > 0)
            {
                shown.Resume(await StepUpToAsync(sessions, sessionId, cursor, cancellationToken));
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                // Taken before reading, so an append between the read and the wait still wakes us.
                var appended = notifier.NextAppendAsync(sessionId);
                var events = await sessions.ReadEventsAsync(sessionId, cursor, 200, cancellationToken);
                foreach (var e in events)
                {
                    cursor = e.Sequence;
                    if (e.Kind == TranscriptKind)
                    {
                        continue; // the model's own view of the conversation; the step events say the same for people
                    }

                    foreach (var (ready, data) in shown.Next(e))
                    {
                        await http.Response.WriteAsync(Format(ready, data), cancellationToken);
                        if (ready.Kind == stopAfter)
                        {
                            await http.Response.Body.FlushAsync(cancellationToken);
                            return;
                        }
                    }
                }

                if (events.Count > 0)
                {
                    await http.Response.Body.FlushAsync(cancellationToken);
                    quietSince = time.GetTimestamp();
                    continue;
                }

                if (time.GetElapsedTime(quietSince) >= Heartbeat)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await http.Response.Body.FlushAsync(cancellationToken);
                    quietSince = time.GetTimestamp();
                }

                // Woken at once by writers in this process; the poll covers writers in other processes.
                await Task.WhenAny(appended, Task.Delay(Poll, time, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            telemetry.StreamsOpen.Add(-1);
        }
    }

    /// <summary>
    /// The deltas of the model step that the client's last event (the last visible one up to <paramref name="cursor"/>)
    /// belongs to, up to that event; empty when it is not a delta. Read backwards a window at a time, as far as the step goes.
    /// </summary>
    private static async Task<IReadOnlyList<SessionEvent>> StepUpToAsync(AgentSessionClient sessions, string sessionId, long cursor, CancellationToken cancellationToken)
    {
        for (long window = 64; ; window *= 4)
        {
            var from = Math.Max(0, cursor - window);
            var events = (await sessions.ReadEventsAsync(sessionId, from, (int)Math.Min(cursor - from, int.MaxValue), cancellationToken))
                .Where(e => e.Sequence <= cursor && e.Kind != TranscriptKind)
                .ToList();
            if (events.Count == 0 && from > 0)
            {
                continue;
            }

            if (events.Count == 0 || events[^1].Kind != SessionEventKinds.ModelDelta)
            {
                return [];
            }

            var step = ClientEventSequence.StepOf(events[^1]);
            var first = events.Count - 1;
            while (first > 0 && events[first - 1].Kind == SessionEventKinds.ModelDelta && ClientEventSequence.StepOf(events[first - 1]) == step)
            {
                first--;
            }

            if (first > 0 || from == 0)
            {
                return events[first..];
            }
        }
    }

    private string Format(SessionEvent e, JsonNode? data)
    {
        var builder = new StringBuilder();
        builder.Append("id: ").Append(e.Sequence).Append('\n');
        builder.Append("event: ").Append(e.Kind).Append('\n');
        builder.Append("data: ").Append(data?.ToJsonString(json.Value.SerializerOptions) ?? "null").Append("\n\n");
        return builder.ToString();
    }
}
