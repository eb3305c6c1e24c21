using System.Text.Json;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Sqlite;

/// <summary>
/// What a write needs besides SQL, prepared by the caller before it joins the write queue: the single writer is the
/// bottleneck of the store, so it only runs statements, while JSON is made on the callers' threads in parallel.
/// </summary>
public sealed partial class SqliteDurableStore
{
    /// <summary>A checkpoint's rows as JSON, in the order of the checkpoint's lists.</summary>
    private sealed record CheckpointJson(IReadOnlyList<string> Events, IReadOnlyList<string> Tasks, IReadOnlyList<string> Messages, string? Failure)
    {
        public static CheckpointJson Of(OrchestrationCheckpoint checkpoint) => new(
            checkpoint.NewEvents.Select(HistorySerializer.Serialize).ToList(),
            checkpoint.ActivityTasks.Select(task => JsonSerializer.Serialize(task, DataConverter.DefaultOptions)).ToList(),
            checkpoint.Messages.Select(SerializeMessage).ToList(),
            checkpoint.Instance.Failure is { } failure ? JsonSerializer.Serialize(failure, DataConverter.DefaultOptions) : null);
    }

    /// <summary>The lock the first <paramref name="Max"/> new activity tasks of a checkpoint are inserted with.</summary>
    private sealed record ActivityHandoff(LockRequest Request, string Token, DateTimeOffset Until, int Max);
}
