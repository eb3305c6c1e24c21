namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>What a checkpoint's transaction did, for the wake-ups and logs after it committed.</summary>
internal sealed class CheckpointResult
{
    /// <summary>Tasks inserted already claimed for this process's activity dispatcher, with their rows.</summary>
    public List<(long Seq, PlannedTask Task)> HandedOff { get; } = [];

    /// <summary>Instances that received a message or were started.</summary>
    public List<string> Notified { get; } = [];

    /// <summary>Messages dropped because their instance does not exist or has finished.</summary>
    public List<OutgoingMessage> Dropped { get; } = [];

    /// <summary>Sub-orchestrations not started because an instance with their id is still running.</summary>
    public List<string> RefusedChildren { get; } = [];
}
