using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>What claiming an instance returned: its row, the messages delivered and those set aside as poison.</summary>
internal sealed record LockedInstance(
    string InstanceId,
    string ExecutionId,
    OrchestrationStatus Status,
    int HistoryLength,
    IReadOnlyList<InboxRow> Messages,
    IReadOnlyList<InboxRow> Poisoned);
