namespace AgentOrchestrator.Agents.Sessions;

/// <summary>
/// What a session publishes as its orchestration's custom status after every step, so clients and staff
/// can read where it stands without replaying its history.
/// </summary>
public sealed record SessionProgress
{
    /// <summary>The API key id (or other principal) that started the session.</summary>
    public required string Owner { get; init; }

    /// <summary>The current (or last) turn number, from 1; 0 before the first message.</summary>
    public int Turn { get; init; }

    /// <summary>Where the session is: see <see cref="SessionPhases"/>.</summary>
    public string Phase { get; init; } = SessionPhases.Idle;

    /// <summary>Tool calls waiting for a person.</summary>
    public IReadOnlyList<PendingApproval> PendingApprovals { get; init; } = [];

    /// <summary>Model input tokens spent in the whole session.</summary>
    public long InputTokens { get; init; }

    /// <summary>Model output tokens spent in the whole session.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Model cost of the whole session, in the price table's currency.</summary>
    public decimal Cost { get; init; }

    /// <summary>Rollbacks that could not finish and wait for staff.</summary>
    public IReadOnlyList<ParkedChain> ParkedChains { get; init; } = [];

    /// <summary>Completed compensatable steps of the running turn that would be rolled back if it failed now.</summary>
    public IReadOnlyList<string> OpenChain { get; init; } = [];

    /// <summary>True when staff must act (a parked chain).</summary>
    public bool NeedsAttention => ParkedChains.Count > 0;
}
