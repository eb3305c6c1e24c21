using AgentOrchestrator.Agents.Activities;
using AgentOrchestrator.Agents.EventLog;
using Microsoft.DurableTask;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>
/// A session's state inside one execution of its orchestration: rebuilt by replay, published as the custom status after
/// every step, and compacted into a <see cref="SessionCarry"/> on continue-as-new. Events the orchestration decides wait
/// here until the next activity carries them into the event log (orchestrators do no I/O).
/// </summary>
internal sealed class SessionState(TaskOrchestrationContext context, string owner, SessionCarry carry)
{
    private readonly List<SessionLogEntry> _pending = [];
    private int _eventCount;

    public string Owner { get; } = owner;

    public SessionSettings Settings { get; } = carry.Settings;

    public int Generation { get; } = carry.Generation;

    public int Turn { get; set; } = carry.Turn;

    public int TurnsThisGeneration { get; set; }

    public long InputTokens { get; set; } = carry.InputTokens;

    public long OutputTokens { get; set; } = carry.OutputTokens;

    public decimal Cost { get; set; } = carry.Cost;

    public string Phase { get; set; } = SessionPhases.Idle;

    public List<ParkedChain> ParkedChains { get; } = [.. carry.ParkedChains];

    public List<PendingApproval> PendingApprovals { get; } = [];

    public List<string> OpenChain { get; } = [];

    public bool Ended { get; set; }

    /// <summary>True when decided events wait for an activity to write them.</summary>
    public bool HasPendingEvents => _pending.Count > 0;

    /// <summary>
    /// Records an event for the session's log. Its dedupe key is the same on every replay, so however often the activity
    /// that carries it runs, it is written once.
    /// </summary>
    public void Record(string kind, object data) => Record(kind, data, $"o:{Generation}:{_eventCount++}");

    /// <summary>Records an event under a dedupe key of the caller's, one that names what the event is about.</summary>
    public void Record(string kind, object data, string dedupeKey)
        => _pending.Add(new SessionLogEntry(kind, SessionJson.Serialize(data), new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero), dedupeKey));

    /// <summary>Adds the messages that are new since the last model call to the transcript, carried by that call.</summary>
    public void RecordTranscript(int turn, int step, IReadOnlyList<TranscriptMessage> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            Record(TranscriptBuilder.Kind, messages[i], $"t:{turn}:{step}:in:{i}");
        }
    }

    /// <summary>The decided events not yet handed to an activity; handing them over empties the list.</summary>
    public IReadOnlyList<SessionLogEntry> TakePendingEvents()
    {
        var events = _pending.ToList();
        _pending.Clear();
        return events;
    }

    /// <summary>The decided events without taking them: for activities that run side by side, each carries them all.</summary>
    public IReadOnlyList<SessionLogEntry> PeekPendingEvents() => [.. _pending];

    /// <summary>Publishes where the session stands as the orchestration's custom status.</summary>
    public void Publish(string? phase = null)
    {
        Phase = phase ?? Phase;
        context.SetCustomStatus(new SessionProgress
        {
            Owner = Owner,
            Turn = Turn,
            Phase = Phase,
            PendingApprovals = [.. PendingApprovals],
            InputTokens = InputTokens,
            OutputTokens = OutputTokens,
            Cost = Cost,
            ParkedChains = [.. ParkedChains],
            OpenChain = [.. OpenChain],
        });
    }

    /// <summary>The compacted state for the next generation, with what the inbox still holds.</summary>
    public SessionCarry ToCarry(SessionInbox inbox)
    {
        var (messages, actions) = inbox.TakeQueued();
        return new SessionCarry
        {
            Turn = Turn,
            Generation = Generation + 1,
            InputTokens = InputTokens,
            OutputTokens = OutputTokens,
            Cost = Cost,
            ParkedChains = [.. ParkedChains],
            Settings = Settings,
            QueuedMessages = messages,
            QueuedActions = actions,
            SeenMessageIds = inbox.SeenMessageIds,
        };
    }
}
