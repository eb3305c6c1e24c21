using AgentOrchestrator.Agents.EventLog;

namespace AgentOrchestrator.Agents.Tests.EventLog;

/// <summary>Payloads of every size, from empty to a mebibyte, come back exactly as written.</summary>
public abstract partial class SessionEventLogConformanceTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31_999)]
    [InlineData(32_000)]
    [InlineData(32_001)]
    [InlineData(100_001)]
    [InlineData(300_000)]
    public async Task AppendAsync_PayloadOfAnySize_ReadsBackExactly(int length)
    {
        var log = await CreateLogAsync();
        var session = NewSession();
        var data = Payload(length);

        await Within(log.AppendAsync(session, [Entry("small"), Entry("sized", "transcript", data), Entry("after")]));

        var read = await ReadAllAsync(log, session);
        Assert.Equal(3, read.Count);
        Assert.True(data == read[1].Data, $"the {length}-character payload came back as {read[1].Data.Length} different characters");
        Assert.Equal(Data("after"), read[2].Data);
        Assert.Equal(data, (await Within(log.FindAsync(session, "sized")))?.Data);
    }

    [Fact]
    public async Task AppendAsync_OneMebibytePayloads_ReadAndFindBackExactly()
    {
        var log = await CreateLogAsync();
        var session = NewSession();
        var first = Payload(1024 * 1024);
        var second = Payload((1024 * 1024) + 3, seed: 7);

        var stored = await Within(log.AppendAsync(session, [Entry("a"), Entry("big-1", "transcript", first), Entry("big-2", "transcript", second)]));
        await Within(log.AppendAsync(session, [Entry("big-1", "transcript", second), Entry("b")]));

        Assert.Equal([1L, 2L, 3L], stored.Select(r => r.Sequence));
        var transcript = await ReadAllAsync(log, session, "transcript");
        Assert.Equal(2, transcript.Count);
        Assert.True(first == transcript[0].Data, "the first mebibyte payload did not come back as written");
        Assert.True(second == transcript[1].Data, "the second mebibyte payload did not come back as written");
        Assert.True(first == (await Within(log.FindAsync(session, "big-1")))?.Data, "FindAsync did not return the payload stored first");
        Assert.Equal(4, (await ReadAllAsync(log, session)).Count);
    }

    /// <summary>A payload of exactly <paramref name="length"/> characters (see <see cref="TestPayloads.Text"/>).</summary>
    protected static string Payload(int length, int seed = 1) => TestPayloads.Text(length, seed);
}
