using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// An orchestration work item with what the service needs to checkpoint it: its lock token, the rows its new messages
/// came from, and the instance row as the last checkpoint left it (extended sessions reuse the item across episodes).
/// </summary>
internal sealed class SqliteOrchestrationWorkItem : TaskOrchestrationWorkItem
{
    /// <summary>The lock this item holds on its instance.</summary>
    public required long LockToken { get; init; }

    /// <summary>The execution the instance row holds (a continue-as-new changes it).</summary>
    public required string ExecutionId { get; set; }

    /// <summary>The status the instance row holds.</summary>
    public required OrchestrationStatus Status { get; set; }

    /// <summary>The custom status the instance row holds (written only when it changes).</summary>
    public string? CustomStatus { get; set; }

    /// <summary>How many history events the instance row holds; new events are numbered from here.</summary>
    public required int HistoryLength { get; set; }

    /// <summary>The inbox rows of <see cref="TaskOrchestrationWorkItem.NewMessages"/>, deleted by the next checkpoint.</summary>
    public List<long> Consumed { get; set; } = [];

    /// <summary>Rows of <see cref="Consumed"/> whose delivery was not counted (fetched by the session without a write).</summary>
    public List<long> Uncounted { get; set; } = [];

    /// <summary>The most deliveries among the current messages (the abandon delay doubles with it).</summary>
    public int DeliveryCount { get; set; } = 1;

    /// <summary>True once a checkpoint or an abandon dealt with the messages of the lock that made this item.</summary>
    public bool Processed { get; set; }

    /// <summary>True once the lock was released (by a checkpoint, an abandon or a release).</summary>
    public bool Released { get; set; }

    /// <summary>The in-process wake-up of this instance, while the item holds it.</summary>
    public InstanceSignals.Registration? Signal { get; set; }

    /// <summary>
    /// False while nothing can have reached the instance's inbox since the session last read it: set when this process
    /// writes a message for the instance or the watcher sees one from another process, cleared before each read. A wake-up
    /// that only brings a direct result so costs no read.
    /// </summary>
    public volatile bool InboxMayHaveChanged = true;

    /// <summary>Results handed over directly and delivered in <see cref="TaskOrchestrationWorkItem.NewMessages"/>, deleted as tasks by the next checkpoint.</summary>
    public List<DirectResult> Direct { get; set; } = [];

    private readonly List<DirectResult> _offered = [];
    private bool _closed;

    /// <summary>Takes a result for the session's next fetch; false when the item will not fetch again (no session, or closed).</summary>
    public bool TryOffer(DirectResult result)
    {
        lock (_offered)
        {
            if (_closed || Session is null)
            {
                return false;
            }

            _offered.Add(result);
            return true;
        }
    }

    /// <summary>The results offered since the last fetch.</summary>
    public List<DirectResult> TakeOffered()
    {
        lock (_offered)
        {
            var taken = _offered.ToList();
            _offered.Clear();
            return taken;
        }
    }

    /// <summary>Refuses further offers and gives back every result not committed, so that it is written the ordinary way.</summary>
    public void Close()
    {
        List<DirectResult> unused;
        lock (_offered)
        {
            _closed = true;
            unused = [.. _offered, .. Direct];
            _offered.Clear();
            Direct = [];
        }

        unused.ForEach(r => r.Applied.TrySetResult(false));
    }
}
