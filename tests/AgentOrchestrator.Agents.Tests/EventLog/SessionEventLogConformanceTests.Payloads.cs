using System.Text;
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

    /// <summary>
    /// A JSON-like payload of exactly <paramref name="length"/> UTF-16 characters: ASCII, characters JSON escapes,
    /// accents, CJK, and surrogate pairs, with a pair straddling every 32,000th character (where stores split text).
    /// </summary>
    protected static string Payload(int length, int seed = 1)
    {
        const string Units = "{\"text\":\"a<b>&'c'\\\\ é ü 中文 😀 \\n\t\u0001 ~+`\"}";
        var chars = new char[length];
        for (int i = 0, u = seed; i < length; i++, u++)
        {
            chars[i] = Units[u % Units.Length];
        }

        for (var split = 32_000; split < length; split += 32_000)
        {
            chars[split - 1] = '\uD83D';
            chars[split] = '\uDE80';
        }

        // Whole pairs only: mend any half left at the ends or beside a planted pair.
        for (var i = 0; i < length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && (i + 1 == length || !char.IsLowSurrogate(chars[i + 1])))
            {
                chars[i] = 'x';
            }
            else if (char.IsLowSurrogate(chars[i]) && (i == 0 || !char.IsHighSurrogate(chars[i - 1])))
            {
                chars[i] = 'y';
            }
        }

        var payload = new string(chars);
        Assert.Equal(length, payload.Length);
        Assert.True(payload == Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(payload)), "the test payload is not valid UTF-16");
        return payload;
    }
}
