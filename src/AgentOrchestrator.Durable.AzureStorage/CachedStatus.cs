namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>
/// What this process knows about an instance's status row after its own last write: the row with its ETag, and
/// whether deliverable messages may wait in the inbox. It lets a completed activity lock the instance in the same
/// transaction without reading first; a stale ETag only sends that write down the slower path.
/// </summary>
/// <param name="Row">The status row as written, with the ETag the write returned.</param>
/// <param name="InboxMayHaveMore">True when messages other than the next result may be deliverable.</param>
/// <param name="NextDueAt">The earliest future inbox message this process wrote (a timer), if any.</param>
/// <param name="HeldBack">True when the inbox holds messages the status kept back (events for a suspended
/// instance), which become deliverable if the episode resumes it.</param>
internal sealed record CachedStatus(StatusRow Row, bool InboxMayHaveMore, DateTimeOffset? NextDueAt, bool HeldBack = false)
{
    /// <summary>Results this process delivered since its last write of the status row; the next lock can take them without a read.</summary>
    public IReadOnlyList<Storage.OrchestrationMessage> Known { get; init; } = [];
}
