using AgentOrchestrator.Durable;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>
/// A session's state inside one execution of its orchestration: rebuilt by replay, published as the
/// custom status after every step, and compacted into a <see cref="SessionCarry"/> on continue-as-new.
/// </summary>
internal sealed class SessionState(TaskOrchestrationContext context, string owner, SessionCarry carry)
{
    private readonly List<InstanceLogEntry> _outbox = [];
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

    public bool HasOutbox => _outbox.Count > 0;

    /// <summary>Queues an event for the session's log; the next activity records it (deduplicated, so replays and retries add nothing).</summary>
    public void Record(string kind, object data)
    {
        var key = $"o:{Generation}:{_eventCount++}";
        _outbox.Add(new InstanceLogEntry(kind, DataConverter.Serialize(data)!, context.CurrentUtcDateTime, key));
    }

    /// <summary>Takes the queued events, to hand to the next activity.</summary>
    public IReadOnlyList<InstanceLogEntry> TakeOutbox()
    {
        var events = _outbox.ToList();
        _outbox.Clear();
        return events;
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
