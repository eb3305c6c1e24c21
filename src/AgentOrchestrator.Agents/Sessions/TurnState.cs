using AgentOrchestrator.Agents.Activities;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>The state of the running turn: its saga chain, counters, guards and the live cancel waiter.</summary>
internal sealed class TurnState(int turn, DateTimeOffset deadline, Task<CancelRequest?> cancel)
{
    public int Turn { get; } = turn;

    public DateTimeOffset Deadline { get; } = deadline;

    /// <summary>Completes when a cancel event arrives during the turn.</summary>
    public Task<CancelRequest?> Cancel { get; } = cancel;

    /// <summary>The completed compensatable steps since the turn began or the last pivot, oldest first.</summary>
    public List<ChainStep> Chain { get; } = [];

    public int Step { get; set; }

    /// <summary>The last model step whose answer the turn took (a cancelled call's late answer is not taken).</summary>
    public int LastAnsweredStep { get; set; }

    public int ToolCalls { get; set; }

    public int Repairs { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public decimal Cost { get; set; }

    public TurnAbort Abort { get; set; }

    public string? AbortDetail { get; set; }
}
