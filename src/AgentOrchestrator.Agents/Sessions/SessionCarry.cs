namespace AgentOrchestrator.Agents.Sessions;

/// <summary>
/// The compacted state a session carries into its next generation when it continues as new: totals,
/// parked chains and the versions it is pinned to, never the transcript (that stays in the event log).
/// </summary>
public sealed record SessionCarry
{
    /// <summary>The last turn number.</summary>
    public int Turn { get; init; }

    /// <summary>How many times the session has continued as new.</summary>
    public int Generation { get; init; }

    /// <summary>Input tokens so far.</summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens so far.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Cost so far.</summary>
    public decimal Cost { get; init; }

    /// <summary>Parked chains still waiting for staff.</summary>
    public IReadOnlyList<ParkedChain> ParkedChains { get; init; } = [];

    /// <summary>The limits and versions the session was pinned to at its start.</summary>
    public required SessionSettings Settings { get; init; }

    /// <summary>User messages that arrived and were not handled yet, in arrival order.</summary>
    public IReadOnlyList<UserMessage> QueuedMessages { get; init; } = [];

    /// <summary>Staff actions that arrived and were not handled yet, in arrival order.</summary>
    public IReadOnlyList<ChainAction> QueuedActions { get; init; } = [];

    /// <summary>The ids of the most recent messages, so a message resent across generations is not run twice.</summary>
    public IReadOnlyList<string> SeenMessageIds { get; init; } = [];
}
