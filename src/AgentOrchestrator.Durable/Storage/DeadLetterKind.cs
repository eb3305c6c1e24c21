namespace AgentOrchestrator.Durable.Storage;

/// <summary>Which queue a dead letter came from.</summary>
public enum DeadLetterKind
{
    /// <summary>An orchestration inbox message.</summary>
    Orchestration = 0,

    /// <summary>An activity task.</summary>
    Activity = 1,
}
