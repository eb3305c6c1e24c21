using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.Testing;

/// <summary>Builders shared by the store-level conformance tests.</summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>A lock request at <paramref name="now"/> (default <see cref="T0"/>) with a one-minute lock.</summary>
    protected static LockRequest Lock(DateTimeOffset? now = null, string worker = "w1") => new(worker, now ?? T0, TimeSpan.FromMinutes(1));

    private static NewInstance NewInstance(
        string id, string input = "\"in\"", string executionId = "e1", DateTimeOffset? createdAt = null, DateTimeOffset? startAt = null, ParentInstance? parent = null)
        => new(id, "Orch", executionId, input, createdAt ?? T0, startAt ?? createdAt ?? T0, parent);

    private static OrchestrationMessage Message(string instanceId, string id, HistoryEvent historyEvent, DateTimeOffset? visibleAt = null)
        => new(id, instanceId, null, historyEvent with { Timestamp = T0 }, visibleAt ?? T0);

    private static ExecutionStarted Started() => new("Orch", "e1", "\"in\"") { Timestamp = T0 };

    private static ActivityTask TaskFor(string instanceId, int id) => new($"{instanceId}:e1:task:{id}", instanceId, "e1", id, "Act", "1", T0);

    private static OrchestrationCheckpoint Checkpoint(OrchestrationWorkItem item, OrchestrationRuntimeStatus status, IReadOnlyList<HistoryEvent> events)
        => new()
        {
            NewEvents = events,
            ConsumedMessageIds = [.. item.Messages.Select(m => m.Id)],
            Instance = new InstanceUpdate("e1", status, "\"in\"", null, null, null, T0, status.IsTerminal() ? T0 : null),
        };

    private static async Task<OrchestrationWorkItem?> LockInstanceAsync(IDurableStore store, string instanceId, DateTimeOffset? now = null)
    {
        var skipped = new List<OrchestrationWorkItem>();
        try
        {
            while (await store.TryLockOrchestrationAsync(Lock(now)) is { } item)
            {
                if (item.InstanceId == instanceId)
                {
                    return item;
                }

                skipped.Add(item);
            }

            return null;
        }
        finally
        {
            foreach (var other in skipped)
            {
                await store.AbandonOrchestrationAsync(other);
            }
        }
    }

    private static async Task StartWithTaskAsync(IDurableStore store, string instanceId)
    {
        await store.CreateInstanceAsync(NewInstance(instanceId), Dedupe);
        var item = (await LockInstanceAsync(store, instanceId))!;
        await store.CommitOrchestrationAsync(item, Checkpoint(item, OrchestrationRuntimeStatus.Running, [Started(), new TaskScheduled("Act", "1") { EventId = 0 }]) with
        {
            ActivityTasks = [TaskFor(instanceId, 0)],
        });
    }
}
