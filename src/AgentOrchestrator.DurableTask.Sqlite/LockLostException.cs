namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// A checkpoint found that it no longer holds a lock it needs (it expired and another worker took the work, or the
/// instance was replaced or purged). Nothing of the checkpoint was written; DurableTask.Core abandons the work item.
/// </summary>
internal sealed class LockLostException(string what)
    : InvalidOperationException($"The lock on {what} was lost; the checkpoint was not written.")
{
    /// <summary>For the lock on an orchestration instance.</summary>
    public static LockLostException OnInstance(string instanceId) => new($"orchestration instance '{instanceId}'");

    /// <summary>For the lock on a task whose result the checkpoint applied directly.</summary>
    public static LockLostException OnTask(SqliteActivityWorkItem task) => new($"task {task.TaskId} of orchestration instance '{task.InstanceId}'");
}
