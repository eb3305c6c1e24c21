namespace AgentOrchestrator.Durable.Storage;

/// <summary>An activity task is no longer locked by the caller (it finished elsewhere, or its lock expired and was taken). Nothing was written.</summary>
public sealed class ActivityLockLostException(string taskId)
    : Exception($"Activity task '{taskId}' is no longer locked by this worker. Nothing was written.")
{
    /// <summary>The task.</summary>
    public string TaskId { get; } = taskId;
}
