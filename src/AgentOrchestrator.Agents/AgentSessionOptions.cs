namespace AgentOrchestrator.Agents;

/// <summary>Limits of agent sessions, bound from the <c>Agents:Session</c> configuration section. A session pins them when it starts.</summary>
public sealed class AgentSessionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Agents:Session";

    /// <summary>Model calls allowed per turn. Default 8.</summary>
    public int MaxStepsPerTurn { get; set; } = 8;

    /// <summary>Tool calls allowed per turn. Default 16.</summary>
    public int MaxToolCallsPerTurn { get; set; } = 16;

    /// <summary>Invalid tool calls sent back to the model per turn before the turn stops. Default 3.</summary>
    public int RepairLimit { get; set; } = 3;

    /// <summary>How long a turn may run. Default 10 minutes.</summary>
    public TimeSpan TurnTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a call waits for approval before it counts as denied. Default 15 minutes.</summary>
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest wait between two attempts of a tool call, whatever the manifest or the service asks. Default 5 minutes.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Model tokens allowed per turn. Default 200,000.</summary>
    public long MaxTokensPerTurn { get; set; } = 200_000;

    /// <summary>Model cost allowed per session, in the price table's currency; null for no limit. Default null.</summary>
    public decimal? MaxSessionCost { get; set; }

    /// <summary>Turns per generation before the session continues as new with a compacted state. Default 10.</summary>
    public int TurnsPerGeneration { get; set; } = 10;

    /// <summary>The system prompt template's name. Default <c>session-system</c>.</summary>
    public string PromptName { get; set; } = "session-system";

    /// <summary>The system prompt template's version. Default <c>v1</c>.</summary>
    public string PromptVersion { get; set; } = "v1";

    /// <summary>Checks the values; throws naming the first bad one.</summary>
    public void Validate()
    {
        Check(MaxStepsPerTurn >= 1, nameof(MaxStepsPerTurn), "at least 1");
        Check(MaxToolCallsPerTurn >= 1, nameof(MaxToolCallsPerTurn), "at least 1");
        Check(RepairLimit >= 0, nameof(RepairLimit), "0 or more");
        Check(TurnTimeout > TimeSpan.Zero, nameof(TurnTimeout), "positive");
        Check(ApprovalTimeout > TimeSpan.Zero, nameof(ApprovalTimeout), "positive");
        Check(MaxRetryDelay >= TimeSpan.Zero, nameof(MaxRetryDelay), "zero or more");
        Check(MaxTokensPerTurn >= 1, nameof(MaxTokensPerTurn), "at least 1");
        Check(MaxSessionCost is null or > 0, nameof(MaxSessionCost), "positive when set");
        Check(TurnsPerGeneration >= 1, nameof(TurnsPerGeneration), "at least 1");
        Check(!string.IsNullOrWhiteSpace(PromptName) && !string.IsNullOrWhiteSpace(PromptVersion), nameof(PromptName), "set, with a version");
    }

    private static void Check(bool ok, string name, string rule)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"{SectionName}:{name} must be {rule}.");
        }
    }
}
