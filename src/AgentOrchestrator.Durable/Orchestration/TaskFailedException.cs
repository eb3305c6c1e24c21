using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable;

/// <summary>An activity or sub-orchestration failed; thrown into orchestrator code.</summary>
public sealed class TaskFailedException(string taskName, int taskId, FailureDetails failure)
    : Exception($"Task '{taskName}' (id {taskId}) failed: {failure.ErrorType}: {failure.Message}")
{
    /// <summary>The activity or orchestrator name.</summary>
    public string TaskName { get; } = taskName;

    /// <summary>The sequence id of the scheduling action.</summary>
    public int TaskId { get; } = taskId;

    /// <summary>What went wrong, as recorded in history.</summary>
    public FailureDetails Failure { get; } = failure;
}
