using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>
/// The part of a checkpoint that did not fit in its entity-group transaction (over 100 entities or about 3 MiB):
/// committed as one outbox row (its payload in a blob when large) and expanded after the commit.
/// </summary>
/// <param name="InstanceId">The instance whose checkpoint this is.</param>
/// <param name="Tasks">Activity tasks to add to the instance's partition.</param>
/// <param name="Messages">Messages to this instance (inbox rows) and to others (delivered).</param>
/// <param name="Children">Sub-orchestrations to create.</param>
/// <param name="DeadLetters">Dead letters to record in the instance's partition.</param>
internal sealed record CheckpointBundle(
    string InstanceId,
    IReadOnlyList<ActivityTask> Tasks,
    IReadOnlyList<OrchestrationMessage> Messages,
    IReadOnlyList<NewInstance> Children,
    IReadOnlyList<DeadLetter> DeadLetters);
