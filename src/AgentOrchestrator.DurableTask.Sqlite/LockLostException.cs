namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// A checkpoint found that its work item no longer holds the instance's lock (it expired and another worker took it, or
/// the instance was replaced or purged). Nothing of the checkpoint was written; DurableTask.Core abandons the work item.
/// </summary>
internal sealed class LockLostException(string instanceId)
    : InvalidOperationException($"The lock on orchestration instance '{instanceId}' was lost; the checkpoint was not written.");
