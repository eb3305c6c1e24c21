using AgentOrchestrator.Agents.Activities;
using AgentOrchestrator.Agents.EventLog;

namespace AgentOrchestrator.Agents.Tests.Activities;

/// <summary>What the model is shown: the whole conversation so far, never a stale or foreign one.</summary>
public sealed class TranscriptCacheTests
{
    private readonly InMemorySessionEventLog _log = new();
    private int _keys;

    [Fact]
    public async Task Read_AfterMoreMessages_ShowsTheWholeConversationInOrder()
    {
        var cache = new TranscriptCache(_log);
        await AppendAsync(_log, "s1", new TranscriptMessage("user", "hello"), new TranscriptMessage("assistant", "hi"));
        var first = await cache.ReadAsync("s1", "i1", CancellationToken.None);
        await _log.AppendAsync("s1", [new SessionLogEntry("turn.started", "{}", DateTimeOffset.UnixEpoch, "other")]);
        await AppendAsync(_log, "s1", new TranscriptMessage("user", "again"));

        var second = await cache.ReadAsync("s1", "i1", CancellationToken.None);

        Assert.Equal(["hello", "hi"], first.Select(m => m.Text));
        Assert.Equal(["hello", "hi", "again"], second.Select(m => m.Text));
    }

    [Fact]
    public async Task Read_SessionPurgedAndStartedAgainUnderTheSameId_ShowsOnlyTheNewConversation()
    {
        var cache = new TranscriptCache(_log);
        await AppendAsync(_log, "s1", new TranscriptMessage("user", "old conversation"), new TranscriptMessage("assistant", "old answer"));
        await cache.ReadAsync("s1", "i1", CancellationToken.None);

        // Purged and started again: a new incarnation, and a log that starts from sequence 1 again.
        await _log.DeleteAsync("s1");
        await AppendAsync(_log, "s1", new TranscriptMessage("user", "new conversation"));
        var shown = await cache.ReadAsync("s1", "i2", CancellationToken.None);

        Assert.Equal(["new conversation"], shown.Select(m => m.Text));
    }

    private Task AppendAsync(ISessionEventLog log, string session, params TranscriptMessage[] messages)
        => log.AppendAsync(session, [.. messages.Select(m => new SessionLogEntry(TranscriptBuilder.Kind, SessionJson.Serialize(m), DateTimeOffset.UnixEpoch, $"k{_keys++}"))]);
}
