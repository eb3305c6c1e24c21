using AgentOrchestrator.Agents.EventLog;

namespace AgentOrchestrator.Agents.Tests.EventLog;

/// <summary>
/// What every <see cref="ISessionEventLog"/> promises, run by each store: the in-memory log, the Azure Tables log on
/// Azurite, and any store added later (derive, implement <see cref="CreateLogAsync"/>, and override
/// <see cref="OpenSecondHostAsync"/> if the store can be shared by several hosts). A client that follows a session over
/// SSE and resumes with Last-Event-ID must see every event once, in order, whatever the writers did.
/// </summary>
[Trait("Category", "Conformance")]
public abstract partial class SessionEventLogConformanceTests
{
    /// <summary>How long any one step of a test may take before it fails.</summary>
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 12, 2, 10, 30, 15, TimeSpan.Zero).AddTicks(1_234_567);

    /// <summary>A new, empty log (a store of its own) for one test.</summary>
    protected abstract Task<ISessionEventLog> CreateLogAsync();

    /// <summary>
    /// Another handle on the store behind <paramref name="log"/>, as a second host would open it. By default the same
    /// instance: a store that lives in one process has no second host.
    /// </summary>
    protected virtual Task<ISessionEventLog> OpenSecondHostAsync(ISessionEventLog log) => Task.FromResult(log);

    [Fact]
    public async Task AppendAsync_NewSession_NumbersRecordsFromOneAndReadsThemBackAsWritten()
    {
        var log = await CreateLogAsync();
        var session = NewSession();
        SessionLogEntry[] entries = [Entry("a", "turn.started"), Entry("b", "token.delta"), Entry("c", "turn.completed")];

        var stored = await Within(log.AppendAsync(session, entries));
        var read = await Within(log.ReadAsync(session, 0, 100));

        SessionLogRecord[] expected = [.. entries.Select((e, i) => new SessionLogRecord(i + 1, e.Kind, e.Data, e.Timestamp))];
        Assert.Equal(expected, stored);
        Assert.Equal(expected, read);
    }

    [Fact]
    public async Task AppendAsync_LaterAppends_ContinueTheNumberingWithoutAGap()
    {
        var log = await CreateLogAsync();
        var session = NewSession();

        await Within(log.AppendAsync(session, [Entry("a"), Entry("b")]));
        var second = await Within(log.AppendAsync(session, [Entry("c"), Entry("d"), Entry("e")]));

        Assert.Equal([3L, 4L, 5L], second.Select(r => r.Sequence));
        Assert.Equal(["a", "b", "c", "d", "e"], KeysOf(await ReadAllAsync(log, session)));
    }

    [Fact]
    public async Task AppendAsync_SameKeyTwiceInOneCall_StoresTheFirstOnlyAndLeavesNoGap()
    {
        var log = await CreateLogAsync();
        var session = NewSession();

        var stored = await Within(log.AppendAsync(session, [Entry("a", data: "first"), Entry("a", data: "second"), Entry("b")]));

        Assert.Equal([1L, 2L], stored.Select(r => r.Sequence));
        var read = await ReadAllAsync(log, session);
        Assert.Equal(["first", Data("b")], read.Select(r => r.Data));
    }

    [Fact]
    public async Task AppendAsync_SomeKeysAlreadyStored_StoresOnlyTheNewOnesRightAfterTheLast()
    {
        var log = await CreateLogAsync();
        var session = NewSession();
        await Within(log.AppendAsync(session, [Entry("a"), Entry("b", data: "original")]));

        var c = Entry("c", "tool");

        var stored = await Within(log.AppendAsync(session, [Entry("b", data: "repeated"), c]));

        Assert.Equal([new SessionLogRecord(3, c.Kind, c.Data, c.Timestamp)], stored);
        var read = await ReadAllAsync(log, session);
        Assert.Equal([1L, 2L, 3L], read.Select(r => r.Sequence));
        Assert.Equal("original", read[1].Data);
    }

    [Fact]
    public async Task AppendAsync_WholeCallRepeated_StoresNothingTheSecondTime()
    {
        var log = await CreateLogAsync();
        var session = NewSession();
        SessionLogEntry[] entries = [Entry("a"), Entry("b"), Entry("c")];
        await Within(log.AppendAsync(session, entries));

        var again = await Within(log.AppendAsync(session, entries));

        Assert.Empty(again);
        Assert.Equal(["a", "b", "c"], KeysOf(await ReadAllAsync(log, session)));
        var next = await Within(log.AppendAsync(session, [Entry("d")]));
        Assert.Equal(4, Assert.Single(next).Sequence);
    }

    [Fact]
    public async Task AppendAsync_NoEntries_StoresNothing()
    {
        var log = await CreateLogAsync();
        var session = NewSession();

        var stored = await Within(log.AppendAsync(session, []));

        Assert.Empty(stored);
        Assert.Empty(await Within(log.ReadAsync(session, 0, 100)));
    }

    [Fact]
    public async Task ReadAsync_OfOneKind_ReturnsOnlyThatKindWithTheSequencesOfTheWholeLog()
    {
        var log = await CreateLogAsync();
        var session = NewSession();
        await Within(log.AppendAsync(session, [Entry("a", "token"), Entry("b", "tool"), Entry("c", "token"), Entry("d", "tool"), Entry("e", "tool")]));

        var tools = await Within(log.ReadAsync(session, 0, 100, "tool"));
        var none = await Within(log.ReadAsync(session, 0, 100, "unknown.kind"));

        Assert.Equal([2L, 4L, 5L], tools.Select(r => r.Sequence));
        Assert.All(tools, r => Assert.Equal("tool", r.Kind));
        Assert.Empty(none);
    }

    [Fact]
    public async Task ReadAsync_PagesResumedAfterTheLastSequenceSeen_ReturnEveryRecordOnceInOrder()
    {
        var log = await CreateLogAsync();
        var session = NewSession();
        await Within(log.AppendAsync(session, [.. Enumerable.Range(0, 25).Select(i => Entry($"e{i}"))]));

        var pages = new List<IReadOnlyList<SessionLogRecord>>();
        long last = 0;
        while (true)
        {
            var page = await Within(log.ReadAsync(session, last, 7));
            if (page.Count == 0)
            {
                break;
            }

            pages.Add(page);
            last = page[^1].Sequence;
        }

        Assert.Equal([7, 7, 7, 4], pages.Select(p => p.Count));
        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), pages.SelectMany(p => p).Select(r => r.Sequence));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"e{i}"), KeysOf(pages.SelectMany(p => p)));
    }

    [Fact]
    public async Task ReadAsync_PagesOfOneKind_ResumeAfterTheLastMatchingSequence()
    {
        var log = await CreateLogAsync();
        var session = NewSession();
        await Within(log.AppendAsync(session, [.. Enumerable.Range(0, 30).Select(i => Entry($"e{i}", i % 3 == 0 ? "transcript" : "token"))]));

        var seen = new List<SessionLogRecord>();
        long last = 0;
        for (IReadOnlyList<SessionLogRecord> page; (page = await Within(log.ReadAsync(session, last, 4, "transcript"))).Count > 0; last = page[^1].Sequence)
        {
            Assert.InRange(page.Count, 1, 4);
            seen.AddRange(page);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)(i * 3) + 1), seen.Select(r => r.Sequence));
    }

    [Fact]
    public async Task ReadAsync_AfterTheEndOrOfAnUnknownSession_ReturnsNothing()
    {
        var log = await CreateLogAsync();
        var session = NewSession();
        await Within(log.AppendAsync(session, [Entry("a"), Entry("b"), Entry("c")]));

        Assert.Empty(await Within(log.ReadAsync(session, 3, 100)));
        Assert.Empty(await Within(log.ReadAsync(session, 4, 100)));
        Assert.Empty(await Within(log.ReadAsync(session, long.MaxValue, 100)));
        Assert.Empty(await Within(log.ReadAsync(NewSession(), 0, 100)));
        Assert.Equal([1L, 2L, 3L], (await Within(log.ReadAsync(session, -1, 100))).Select(r => r.Sequence));
        Assert.Equal([3L], (await Within(log.ReadAsync(session, 2, 100))).Select(r => r.Sequence));
        Assert.Equal([1L], (await Within(log.ReadAsync(session, 0, 1))).Select(r => r.Sequence));
    }

    [Fact]
    public async Task FindAsync_KeyStoredTwice_ReturnsTheRecordAsFirstStored()
    {
        var log = await CreateLogAsync();
        var session = NewSession();
        await Within(log.AppendAsync(session, [Entry("a"), Entry("m:1", "message.received", "first text")]));
        await Within(log.AppendAsync(session, [Entry("m:1", "message.received", "second text")]));

        var found = await Within(log.FindAsync(session, "m:1"));

        Assert.NotNull(found);
        Assert.Equal(2, found.Sequence);
        Assert.Equal("message.received", found.Kind);
        Assert.Equal("first text", found.Data);
    }

    [Fact]
    public async Task FindAsync_KeyNeverStored_ReturnsNull()
    {
        var log = await CreateLogAsync();
        var session = NewSession();
        await Within(log.AppendAsync(session, [Entry("a")]));

        Assert.Null(await Within(log.FindAsync(session, "b")));
        Assert.Null(await Within(log.FindAsync(NewSession(), "a")));
    }

    [Fact]
    public async Task DeleteAsync_ThenAppend_TheSessionStartsAgainAtOneWithNothingOld()
    {
        var log = await CreateLogAsync();
        var session = NewSession();
        await Within(log.AppendAsync(session, [.. Enumerable.Range(0, 5).Select(i => Entry($"k{i}"))]));

        await Within(log.DeleteAsync(session));

        Assert.Empty(await Within(log.ReadAsync(session, 0, 100)));
        Assert.Null(await Within(log.FindAsync(session, "k0")));
        var stored = await Within(log.AppendAsync(session, [Entry("k3", data: "new k3"), Entry("k5")]));
        Assert.Equal([1L, 2L], stored.Select(r => r.Sequence));
        Assert.Equal(["new k3", Data("k5")], (await ReadAllAsync(log, session)).Select(r => r.Data));
        Assert.Equal(1, (await Within(log.FindAsync(session, "k3")))?.Sequence);
    }

    [Fact]
    public async Task DeleteAsync_SessionNeverWrittenOrDeletedTwice_DoesNothingToOthers()
    {
        var log = await CreateLogAsync();
        var kept = NewSession();
        var deleted = NewSession();
        await Within(log.AppendAsync(kept, [Entry("a")]));
        await Within(log.AppendAsync(deleted, [Entry("a")]));

        await Within(log.DeleteAsync(NewSession()));
        await Within(log.DeleteAsync(deleted));
        await Within(log.DeleteAsync(deleted));

        Assert.Empty(await Within(log.ReadAsync(deleted, 0, 100)));
        Assert.Equal(["a"], KeysOf(await ReadAllAsync(log, kept)));
        Assert.NotNull(await Within(log.FindAsync(kept, "a")));
    }

    [Fact]
    public async Task AppendAsync_TwoSessionsWithTheSameKeys_EachKeepsItsOwnLog()
    {
        var log = await CreateLogAsync();
        var first = NewSession();
        var second = NewSession();

        await Within(log.AppendAsync(first, [Entry("a", data: "first a"), Entry("b", data: "first b")]));
        var stored = await Within(log.AppendAsync(second, [Entry("b", data: "second b"), Entry("a", data: "second a"), Entry("c", data: "second c")]));
        await Within(log.DeleteAsync(first));

        Assert.Equal([1L, 2L, 3L], stored.Select(r => r.Sequence));
        Assert.Empty(await Within(log.ReadAsync(first, 0, 100)));
        Assert.Equal(["second b", "second a", "second c"], (await ReadAllAsync(log, second)).Select(r => r.Data));
        Assert.Equal("second a", (await Within(log.FindAsync(second, "a")))?.Data);
    }

    [Fact]
    public async Task AppendAsync_SessionIdsAndKeysWithAnyCharacters_KeepTheirOwnLogsAndKeys()
    {
        var log = await CreateLogAsync();
        string[] sessions = ["a/b", "a#b", "a?b", "a\\b", "a%b", "a%2Fb", "A/B", "ünï cødé 😀", "a\tb", new string('s', 1000)];
        string[] keys = ["k/1", "k#1", "k?1", "k%1", "k%0025", "k\\1", "😀", "k\u0001\u007f", "'quoted' \"key\" <&>", new string('k', 2000), new string('k', 1999) + "j", string.Empty];

        foreach (var session in sessions)
        {
            await Within(log.AppendAsync(session, [.. keys.Select(k => Entry(k, data: session + "|" + k))]));
        }

        foreach (var session in sessions)
        {
            Assert.Equal(keys.Select(k => session + "|" + k), (await ReadAllAsync(log, session)).Select(r => r.Data));
            foreach (var (key, i) in keys.Select((k, i) => (k, i)))
            {
                var found = await Within(log.FindAsync(session, key));
                Assert.Equal((i + 1L, session + "|" + key), (found?.Sequence ?? 0, found?.Data));
            }

            Assert.Empty(await Within(log.AppendAsync(session, [.. keys.Select(k => Entry(k))])));
        }
    }

    [Fact]
    public async Task AppendAsync_Timestamps_ReadBackToTheTickWithTheirOffsets()
    {
        var log = await CreateLogAsync();
        var session = NewSession();
        DateTimeOffset[] times = [Start.ToOffset(TimeSpan.FromMinutes(330)), Start.AddTicks(1).ToOffset(TimeSpan.FromHours(-8)), DateTimeOffset.UnixEpoch, Start.AddYears(70)];

        await Within(log.AppendAsync(session, [.. times.Select((t, i) => Entry($"t{i}") with { Timestamp = t })]));

        var read = await ReadAllAsync(log, session);
        Assert.Equal(times, read.Select(r => r.Timestamp));
        Assert.Equal(times.Select(t => t.Offset), read.Select(r => r.Timestamp.Offset));
    }

    /// <summary>A new session id.</summary>
    protected static string NewSession() => "session-" + Guid.NewGuid().ToString("N");

    /// <summary>An entry whose payload names its key unless given.</summary>
    protected static SessionLogEntry Entry(string key, string kind = "step", string? data = null)
        => new(kind, data ?? Data(key), Start.AddSeconds(key.Length), key);

    /// <summary>The default payload of an entry with <paramref name="key"/>.</summary>
    protected static string Data(string key) => $"{{\"key\":\"{key}\"}}";

    /// <summary>The keys named by default payloads.</summary>
    protected static IEnumerable<string> KeysOf(IEnumerable<SessionLogRecord> records)
        => records.Select(r => r.Data["{\"key\":\"".Length..^"\"}".Length]);

    /// <summary>The whole log of a session, read page by page as a resuming client would.</summary>
    protected static async Task<List<SessionLogRecord>> ReadAllAsync(ISessionEventLog log, string session, string? kind = null)
    {
        var records = new List<SessionLogRecord>();
        for (IReadOnlyList<SessionLogRecord> page; (page = await Within(log.ReadAsync(session, records.Count > 0 ? records[^1].Sequence : 0, 100, kind))).Count > 0;)
        {
            records.AddRange(page);
        }

        return records;
    }

    /// <summary>Awaits <paramref name="task"/>, failing the test if it takes longer than <see cref="Timeout"/>.</summary>
    protected static Task<T> Within<T>(Task<T> task) => task.WaitAsync(Timeout);

    /// <summary>Awaits <paramref name="task"/>, failing the test if it takes longer than <see cref="Timeout"/>.</summary>
    protected static Task Within(Task task) => task.WaitAsync(Timeout);
}
