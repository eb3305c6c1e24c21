using AgentOrchestrator.Agents.Activities;
using AgentOrchestrator.Durable;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Agents.Tests.Activities;

/// <summary>What the model is shown: the whole conversation so far, never a stale or foreign one.</summary>
public sealed class TranscriptCacheTests
{
    private readonly InMemoryDurableStore _store = new();

    [Fact]
    public async Task Read_AfterMoreMessages_ShowsTheWholeConversationInOrder()
    {
        var cache = new TranscriptCache(_store);
        await AppendAsync("s1", new TranscriptMessage("user", "hello"), new TranscriptMessage("assistant", "hi"));
        var first = await cache.ReadAsync("s1", "e1", CancellationToken.None);
        await _store.AppendLogAsync("s1", [new InstanceLogEntry("turn.started", "{}", DateTimeOffset.UnixEpoch)]);
        await AppendAsync("s1", new TranscriptMessage("user", "again"));

        var second = await cache.ReadAsync("s1", "e1", CancellationToken.None);

        Assert.Equal(["hello", "hi"], first.Select(m => m.Text));
        Assert.Equal(["hello", "hi", "again"], second.Select(m => m.Text));
    }

    [Fact]
    public async Task Read_SessionPurgedAndStartedAgainUnderTheSameId_ShowsOnlyTheNewConversation()
    {
        var log = new ReplaceableLog(_store);
        var cache = new TranscriptCache(log);
        await AppendAsync("s1", new TranscriptMessage("user", "old conversation"), new TranscriptMessage("assistant", "old answer"));
        await cache.ReadAsync("s1", "e1", CancellationToken.None);

        // Purged and started again: a new execution, and a log that starts from sequence 1 again.
        log.Current = new InMemoryDurableStore();
        await log.AppendLogAsync("s1", [Entry(new TranscriptMessage("user", "new conversation"))]);
        var shown = await cache.ReadAsync("s1", "e2", CancellationToken.None);

        Assert.Equal(["new conversation"], shown.Select(m => m.Text));
    }

    private Task AppendAsync(string session, params TranscriptMessage[] messages)
        => _store.AppendLogAsync(session, [.. messages.Select(Entry)]);

    private static InstanceLogEntry Entry(TranscriptMessage message)
        => new(TranscriptBuilder.Kind, DataConverter.Serialize(message)!, DateTimeOffset.UnixEpoch);

    /// <summary>An event log whose whole content can be swapped, as a purge followed by a new start does.</summary>
    private sealed class ReplaceableLog(IInstanceEventLog current) : IInstanceEventLog
    {
        public IInstanceEventLog Current { get; set; } = current;

        public Task<IReadOnlyList<InstanceLogRecord>> AppendLogAsync(string instanceId, IReadOnlyList<InstanceLogEntry> entries, CancellationToken cancellationToken = default)
            => Current.AppendLogAsync(instanceId, entries, cancellationToken);

        public Task<IReadOnlyList<InstanceLogRecord>> ReadLogAsync(string instanceId, long afterSequence, int maxCount, string? kind = null, CancellationToken cancellationToken = default)
            => Current.ReadLogAsync(instanceId, afterSequence, maxCount, kind, cancellationToken);
    }
}
