using AgentOrchestrator.Agents.EventLog;

namespace AgentOrchestrator.Agents.Tests.EventLog;

/// <summary>Several writers on one session's log, in one process and from two hosts, and readers following them.</summary>
public abstract partial class SessionEventLogConformanceTests
{
    [Fact]
    public async Task AppendAsync_ManyWritersAtOnce_OneGapFreeSequenceWithNothingLostOrDoubled()
    {
        var log = await CreateLogAsync();
        var session = NewSession();

        var appends = await AppendConcurrentlyAsync([log], session, writers: 8, appendsPerWriter: 8);

        await AssertOneOrderedLogAsync(log, session, appends);
    }

    [Fact]
    public async Task AppendAsync_WritersOnTwoHostsAtOnce_OneGapFreeSequenceWithNothingLostOrDoubled()
    {
        var log = await CreateLogAsync();
        var second = await OpenSecondHostAsync(log);
        var session = NewSession();

        var appends = await AppendConcurrentlyAsync([log, second], session, writers: 8, appendsPerWriter: 8);

        await AssertOneOrderedLogAsync(log, session, appends);
        Assert.Equal(await ReadAllAsync(log, session), await ReadAllAsync(second, session));
    }

    [Fact]
    public async Task AppendAsync_SameEntriesFromManyWritersAtOnce_AreStoredOnceAndReportedByOneWriter()
    {
        var log = await CreateLogAsync();
        var second = await OpenSecondHostAsync(log);
        var session = NewSession();
        SessionLogEntry[] entries = [.. Enumerable.Range(0, 10).Select(i => Entry($"retried-{i}"))];
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var calls = Enumerable.Range(0, 6).Select(async w =>
        {
            await go.Task;
            return await (w % 2 == 0 ? log : second).AppendAsync(session, entries);
        }).ToList();
        go.SetResult();
        var results = await Within(Task.WhenAll(calls));

        var read = await ReadAllAsync(log, session);
        Assert.Equal(entries.Select((e, i) => new SessionLogRecord(i + 1, e.Kind, e.Data, e.Timestamp)), read);
        Assert.Equal([0, 0, 0, 0, 0, 10], results.Select(r => r.Count).Order());
        Assert.Equal(read, results.Single(r => r.Count > 0));
    }

    [Fact]
    public async Task ReadAsync_WhileWritersAppend_AResumingReaderSeesEveryRecordOnceAndNothingLaterChanges()
    {
        var log = await CreateLogAsync();
        var second = await OpenSecondHostAsync(log);
        var session = NewSession();
        const int Writers = 4, AppendsPerWriter = 8, Total = Writers * AppendsPerWriter * 2;
        using var stop = new CancellationTokenSource(Timeout);

        var reader = Task.Run(async () =>
        {
            var seen = new List<SessionLogRecord>();
            while (seen.Count < Total)
            {
                var page = await second.ReadAsync(session, seen.Count > 0 ? seen[^1].Sequence : 0, 7, cancellationToken: stop.Token);
                foreach (var record in page)
                {
                    // Never a gap: a record the reader skipped now would be lost to it for good.
                    Assert.Equal(seen.Count + 1, record.Sequence);
                    seen.Add(record);
                }

                if (page.Count == 0)
                {
                    // The pause of a polling client, not a synchronisation: the loop ends when it has seen them all.
                    await Task.Delay(TimeSpan.FromMilliseconds(2), stop.Token);
                }
            }

            return seen;
        });
        await AppendConcurrentlyAsync([log, second], session, Writers, AppendsPerWriter, entriesPerAppend: 2);
        var seen = await Within(reader);

        Assert.Equal(await ReadAllAsync(log, session), seen);
    }

    [Fact]
    public async Task AppendAsync_ManyEntriesInOneCall_ReadersSeeNoneOrAllOfThem()
    {
        var log = await CreateLogAsync();
        var second = await OpenSecondHostAsync(log);
        var session = NewSession();
        await Within(log.AppendAsync(session, [Entry("before")]));
        SessionLogEntry[] batch = [.. Enumerable.Range(0, 150).Select(i => Entry($"batch-{i}", i % 2 == 0 ? "token" : "tool"))];
        using var stop = new CancellationTokenSource(Timeout);
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var reader = Task.Run(async () =>
        {
            var counts = new List<int>();
            do
            {
                counts.Add((await second.ReadAsync(session, 0, 1000, cancellationToken: stop.Token)).Count);
                reading.TrySetResult();
            }
            while (counts[^1] < 151);

            return counts;
        });
        await Within(reading.Task);
        var stored = await Within(log.AppendAsync(session, batch));
        var counts = await Within(reader);

        Assert.All(counts, c => Assert.True(c is 1 or 151, $"a reader saw {c} records: part of an append"));
        Assert.Equal(Enumerable.Range(2, 150).Select(i => (long)i), stored.Select(r => r.Sequence));
        Assert.Equal(["before", .. batch.Select(e => e.DedupeKey)], KeysOf(await ReadAllAsync(log, session)));
    }

    /// <summary>
    /// Writers start together; writer <c>w</c> appends <paramref name="appendsPerWriter"/> times, one after another,
    /// through <c>hosts[w % hosts.Count]</c>.
    /// </summary>
    private static async Task<List<WriterAppend>> AppendConcurrentlyAsync(
        IReadOnlyList<ISessionEventLog> hosts, string session, int writers, int appendsPerWriter, int? entriesPerAppend = null)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await go.Task;
            var appends = new List<WriterAppend>();
            for (var a = 0; a < appendsPerWriter; a++)
            {
                SessionLogEntry[] entries = [.. Enumerable.Range(0, entriesPerAppend ?? 1 + ((w + a) % 3)).Select(e => Entry($"w{w}-a{a}-e{e}"))];
                appends.Add(new WriterAppend(w, entries, await hosts[w % hosts.Count].AppendAsync(session, entries)));
            }

            return appends;
        })).ToList();
        go.SetResult();
        return [.. (await Within(Task.WhenAll(tasks))).SelectMany(a => a)];
    }

    /// <summary>
    /// The log holds every appended entry once, numbered 1..n without a gap; each append's records are consecutive and
    /// in its order (atomic), each writer's appends in the order it made them, and each call returned what it stored.
    /// </summary>
    private static async Task AssertOneOrderedLogAsync(ISessionEventLog log, string session, List<WriterAppend> appends)
    {
        var read = await ReadAllAsync(log, session);
        var total = appends.Sum(a => a.Entries.Length);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), read.Select(r => r.Sequence));
        Assert.Equal(appends.SelectMany(a => a.Entries).Select(e => e.DedupeKey).Order(), KeysOf(read).Order());
        foreach (var append in appends)
        {
            Assert.Equal(append.Entries.Select(e => e.Data), append.Stored.Select(r => r.Data));
            var first = append.Stored[0].Sequence;
            Assert.Equal(Enumerable.Range(0, append.Entries.Length).Select(i => first + i), append.Stored.Select(r => r.Sequence));
            Assert.Equal(append.Stored, read.Skip((int)first - 1).Take(append.Entries.Length));
        }

        foreach (var writer in appends.GroupBy(a => a.Writer))
        {
            var firsts = writer.Select(a => a.Stored[0].Sequence).ToList();
            Assert.Equal(firsts.Order(), firsts);
        }
    }

    private sealed record WriterAppend(int Writer, SessionLogEntry[] Entries, IReadOnlyList<SessionLogRecord> Stored);
}
