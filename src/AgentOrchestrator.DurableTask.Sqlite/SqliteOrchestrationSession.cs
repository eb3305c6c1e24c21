using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// An extended session: after a checkpoint, DurableTask.Core asks it for the instance's next messages and runs them on the
/// orchestration it keeps in memory, without replaying the history. It holds (and renews) the instance's lock while it
/// waits; see <see cref="SqliteOrchestrationService"/>'s session part.
/// </summary>
internal sealed class SqliteOrchestrationSession(SqliteOrchestrationService service, SqliteOrchestrationWorkItem item) : IOrchestrationSession
{
    /// <inheritdoc />
    public Task<IList<TaskMessage>?> FetchNewOrchestrationMessagesAsync(TaskOrchestrationWorkItem workItem)
        => service.FetchSessionMessagesAsync(item);

    /// <inheritdoc />
    public Task EndSessionAsync() => Task.CompletedTask;
}
