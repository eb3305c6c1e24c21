using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// An activity result handed straight to the extended session that holds its instance in this process, instead of being
/// written to the inbox: the session's next checkpoint deletes the task in its own transaction, so a step costs one
/// transaction. <see cref="Applied"/> completes with true once that checkpoint committed, with false when the result was
/// not used (the session ended, or the checkpoint failed): the activity then completes the ordinary way.
/// </summary>
internal sealed class DirectResult(SqliteActivityWorkItem task, TaskMessage response)
{
    /// <summary>The completed task (its row and lock).</summary>
    public SqliteActivityWorkItem Task { get; } = task;

    /// <summary>The result message.</summary>
    public TaskMessage Response { get; } = response;

    /// <summary>True when a checkpoint committed the result; false when it must be written the ordinary way.</summary>
    public TaskCompletionSource<bool> Applied { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
