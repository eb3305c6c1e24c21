namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>What was set aside as poison.</summary>
public enum PoisonMessageKind
{
    /// <summary>A message for an orchestration (an event, an activity result, a timer, its start); it can be put back.</summary>
    OrchestrationMessage = 0,

    /// <summary>An activity task; its orchestration was sent a failure for it instead of a result.</summary>
    ActivityTask = 1,
}
