using System.Text;

namespace AgentOrchestrator.Agents.Tests.EventLog;

/// <summary>Payloads that are hard to store as text.</summary>
internal static class TestPayloads
{
    /// <summary>
    /// A JSON-like payload of exactly <paramref name="length"/> UTF-16 characters: ASCII, characters JSON escapes,
    /// accents, CJK, and surrogate pairs, with a pair straddling every 32,000th character (where stores split text).
    /// </summary>
    public static string Text(int length, int seed = 1)
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
