using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>
/// The layout of a session's partition in the event-log table. One partition per session; row keys sort as: the head
/// (<c>h</c>), the dedupe rows (<c>k{generation}{key}</c>), the records (<c>r{generation}{sequence:D19}</c>). A
/// generation is a random id the head names: deleting a log deletes its head first, and the next append starts a new
/// generation whose rows can never mix with the old ones still being deleted.
/// </summary>
internal static class SessionLogTableKeys
{
    /// <summary>The head row: the generation, the last sequence readers may see, and any split append's reservation.</summary>
    public const string Head = "h";

    public const string KeyPrefix = "k";

    public const string RecordPrefix = "r";

    /// <summary>Characters of a generation id: 16 lowercase hex digits.</summary>
    public const int GenerationLength = 16;

    /// <summary>Escaped keys longer than this are hashed, to stay under the 1 KiB row-key limit.</summary>
    private const int MaxEscapedKeyChars = 400;

    /// <summary>The partition of a session: its id, escaped (or hashed when long).</summary>
    public static string Partition(string sessionId) => Shorten(Escape(sessionId));

    /// <summary>A new random generation id.</summary>
    public static string NewGeneration() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(GenerationLength / 2));

    /// <summary>A record's row: records sort by sequence, so a range of row keys is a range of the log.</summary>
    public static string Record(string generation, long sequence)
        => RecordPrefix + generation + sequence.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The dedupe row of an (escaped) dedupe key.</summary>
    public static string Key(string generation, string escapedKey) => KeyPrefix + generation + Shorten(escapedKey);

    /// <summary>The sequence number of a record's row key.</summary>
    public static long Sequence(string recordRowKey) => long.Parse(recordRowKey.AsSpan(1 + GenerationLength), CultureInfo.InvariantCulture);

    /// <summary>The generation a dedupe or record row belongs to; null for the head.</summary>
    public static string? GenerationOf(string rowKey)
        => rowKey.Length >= 1 + GenerationLength && rowKey[0] is 'k' or 'r' ? rowKey.Substring(1, GenerationLength) : null;

    /// <summary>The blob-name prefix of one generation of a session's payloads.</summary>
    public static string BlobPrefix(string partition, string generation)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(partition)))[..32] + "/" + generation + "/";

    /// <summary>
    /// Escapes '/', '\', '#', '?', '%', control characters and surrogates (tables forbid the first ones in keys and
    /// would replace a lone surrogate), so different strings stay different keys.
    /// </summary>
    public static string Escape(string value)
    {
        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
            {
                builder.Append('%').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>"%%" never occurs in an escaped string, so a hashed key cannot collide with a short one.</summary>
    private static string Shorten(string escaped)
        => escaped.Length <= MaxEscapedKeyChars ? escaped : "%%" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(escaped)));

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c) || char.IsSurrogate(c);
}
