namespace AgentOrchestrator.Durable.Storage;

/// <summary>The result of a checkpoint that also locked the activity tasks it enqueued.</summary>
/// <param name="Version">The instance's new version.</param>
/// <param name="LockedActivities">The tasks now locked for the caller, each with its delivery count.</param>
public sealed record HandoffCommit(long Version, IReadOnlyList<ActivityWorkItem> LockedActivities);
