namespace AgentOrchestrator.Agents.Sessions;

/// <summary>Why a turn stops before the model's final answer.</summary>
internal enum TurnAbort
{
    /// <summary>Not aborted.</summary>
    None,

    /// <summary>The client cancelled it.</summary>
    Cancelled,

    /// <summary>The turn deadline passed.</summary>
    Deadline,

    /// <summary>The token or cost budget ran out.</summary>
    Budget,

    /// <summary>A per-turn limit (steps, tool calls, repairs) was reached.</summary>
    Limit,

    /// <summary>The model failed for good.</summary>
    ModelFailed,
}
