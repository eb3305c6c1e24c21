using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrchestrator.Agents.Sessions;

namespace AgentOrchestrator.Api;

/// <summary>
/// Presents a session's events to its client in log order (<see cref="SessionPresenter.ForClient(SessionEvent)"/>).
/// A <c>model.delta</c> is held until the next event shows whether its step goes on: its text is cut at a safe place
/// (<see cref="StreamedText"/>) and the rest goes out with the next piece, or with this one when it is the step's last.
/// Each event keeps its own id, so <c>Last-Event-ID</c> works as before.
/// </summary>
internal sealed class ClientEventSequence(SessionPresenter presenter)
{
    private readonly StreamedText _text = new();
    private SessionEvent? _held;

    /// <summary>
    /// Takes up a stream where a client left it: <paramref name="step"/> holds the deltas of the step of the client's
    /// last event, oldest first, up to that event (empty when it was not a delta), which the client has already got.
    /// </summary>
    public void Resume(IReadOnlyList<SessionEvent> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        foreach (var e in step)
        {
            Continue(e);
            _text.Take(Text(e), last: false);
        }
    }

    /// <summary>Feeds the next event (transcript records left out) and returns what may be sent now, in order.</summary>
    public IReadOnlyList<(SessionEvent Event, JsonNode? Data)> Next(SessionEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var ready = new List<(SessionEvent, JsonNode?)>(2);
        if (_held is { } held)
        {
            var goesOn = e.Kind == SessionEventKinds.ModelDelta && StepOf(e) == StepOf(held);
            ready.Add((held, Delta(held, last: !goesOn)));
            _held = null;
        }

        if (e.Kind == SessionEventKinds.ModelDelta)
        {
            Continue(e);
            _held = e;
        }
        else
        {
            ready.Add((e, presenter.ForClient(e)));
        }

        return ready;
    }

    // A delta of another step starts afresh: what was held of the last step went out with its last piece.
    private void Continue(SessionEvent e)
    {
        if (_text.Step != StepOf(e))
        {
            _text.Start(StepOf(e));
        }
    }

    private JsonNode? Delta(SessionEvent e, bool last)
    {
        var data = presenter.ForClient(e);
        if (data is JsonObject delta)
        {
            delta["text"] = presenter.ForClient(_text.Take(Text(e), last));
        }

        return data;
    }

    /// <summary>The model step a delta belongs to.</summary>
    public static (int Turn, int Step) StepOf(SessionEvent e)
        => (Number(e.Data, "turn"), Number(e.Data, "step"));

    private static int Number(JsonElement data, string name)
        => data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) ? number : 0;

    private static string Text(SessionEvent e)
        => e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : string.Empty;
}
