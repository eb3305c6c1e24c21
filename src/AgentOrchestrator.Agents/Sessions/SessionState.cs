using AgentOrchestrator.Agents.Activities;
using AgentOrchestrator.Durable;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>
/// A session's state inside one execution of its orchestration: rebuilt by replay, published as the
/// custom status after every step, and compacted into a <see cref="SessionCarry"/> on continue-as-new.
/// </summary>
internal sealed class SessionState(TaskOrchestrationContext context, string owner, SessionCarry carry)
{
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

    /// <summary>
    /// Records an event in the session's log, written with this episode's checkpoint (the engine skips it while replaying,
    /// and its key, the same on every replay, keeps a retried episode from adding it twice).
    /// </summary>
    public void Record(string kind, object data) => Record(kind, data, $"o:{Generation}:{_eventCount++}");

    /// <summary>Records an event under a dedupe key of the caller's, one that names what the event is about.</summary>
    public void Record(string kind, object data, string dedupeKey)
        => context.AppendLog(new InstanceLogEntry(kind, DataConverter.Serialize(data)!, context.CurrentUtcDateTime, dedupeKey));

    /// <summary>Adds the messages that are new since the last model call to the transcript in the session's log, with the checkpoint that schedules the call.</summary>
    public void RecordTranscript(int turn, int step, IReadOnlyList<TranscriptMessage> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            Record(TranscriptBuilder.Kind, messages[i], $"t:{turn}:{step}:in:{i}");
        }
    }

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

    /// <summary>The compacted state for the next generation.</summary>
    public SessionCarry ToCarry() => new()
    {
        Turn = Turn,
        Generation = Generation + 1,
        InputTokens = InputTokens,
        OutputTokens = OutputTokens,
        Cost = Cost,
        ParkedChains = [.. ParkedChains],
        Settings = Settings,
    };
}
