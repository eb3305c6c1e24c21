namespace AgentOrchestrator.Agents.Sessions;

/// <summary>
/// The limits and versions a session is pinned to when it starts, so that a configuration change or a new
/// manifest never changes a running session's behaviour (or its replay).
/// </summary>
public sealed record SessionSettings
{
    /// <summary>Model calls allowed per turn.</summary>
    public int MaxStepsPerTurn { get; init; }

    /// <summary>Tool calls allowed per turn.</summary>
    public int MaxToolCallsPerTurn { get; init; }

    /// <summary>Invalid tool calls sent back to the model for repair, per turn, before the turn fails.</summary>
    public int RepairLimit { get; init; }

    /// <summary>How long a turn may run.</summary>
    public TimeSpan TurnTimeout { get; init; }

    /// <summary>How long a tool call waits for approval before it counts as denied.</summary>
    public TimeSpan ApprovalTimeout { get; init; }

    /// <summary>The longest wait between two attempts of a tool call.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Model tokens (input plus output) allowed per turn.</summary>
    public long MaxTokensPerTurn { get; init; }

    /// <summary>Model cost allowed for the whole session; null for no limit.</summary>
    public decimal? MaxSessionCost { get; init; }

    /// <summary>Turns per generation before the session continues as new with a compacted state.</summary>
    public int TurnsPerGeneration { get; init; }

    /// <summary>The system prompt template's name.</summary>
    public string PromptName { get; init; } = "session-system";

    /// <summary>The system prompt template's version.</summary>
    public string PromptVersion { get; init; } = "v1";

    /// <summary>
    /// Names this session's life: made when it starts, so caches keyed by it never mix a purged session with a new one
    /// under the same id.
    /// </summary>
    public string Incarnation { get; init; } = string.Empty;

    /// <summary>The tool versions the session may call, by tool name.</summary>
    public IReadOnlyDictionary<string, string> ToolVersions { get; init; } = new Dictionary<string, string>();
}
