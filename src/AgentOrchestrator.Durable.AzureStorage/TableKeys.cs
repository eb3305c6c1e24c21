using System.Globalization;
using System.Text;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>
/// The layout of one instance's table partition. Every row of an instance shares its partition key, so a
/// checkpoint is one entity-group transaction. Row keys sort by kind: dead letters, history, event-log dedupe
/// keys, event-log head and records, inbox, outbox, status, tasks; the rows a lock needs (inbox, outbox, status,
/// tasks) form one contiguous range, and the event log lies outside it.
/// </summary>
internal static class TableKeys
{
    public const string DeadLetterPrefix = "d";
    public const string HistoryPrefix = "h";
    public const string LogKeyPrefix = "k";

    /// <summary>The event log's head: the last sequence number readers may see; its records follow it.</summary>
    public const string LogHead = "l";
    public const string InboxPrefix = "m";
    public const string OutboxPrefix = "o";
    public const string Status = "s";
    public const string TaskPrefix = "t";

    /// <summary>The first row key after the lock range (inbox .. tasks).</summary>
    public const string LockRangeEnd = "u";

    /// <summary>The partition key of an instance: its id with the characters tables forbid escaped.</summary>
    public static string Partition(string instanceId) => Escape(instanceId);

    public static string Inbox(string messageId) => InboxPrefix + Escape(messageId);

    public static string Outbox(string id) => OutboxPrefix + Escape(id);

    public static string Task(string taskId) => TaskPrefix + Escape(taskId);

    /// <summary>History rows of one generation; continue-as-new and restarts start a new generation.</summary>
    public static string HistoryGeneration(int generation) => HistoryPrefix + generation.ToString("D6", CultureInfo.InvariantCulture);

    public static string History(int generation, long sequence) => HistoryGeneration(generation) + sequence.ToString("D10", CultureInfo.InvariantCulture);

    /// <summary>An event-log record: the head's key and the sequence number, so records sort in log order after the head.</summary>
    public static string Log(long sequence) => LogHead + sequence.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>
    /// The dedupe row of an event-log key. Long keys are hashed to stay under the 1 KiB key limit; "%%" never occurs
    /// in an escaped key, so a hashed key cannot collide with a short one.
    /// </summary>
    public static string LogKey(string dedupeKey)
    {
        var escaped = Escape(dedupeKey);
        return escaped.Length <= 400
            ? LogKeyPrefix + escaped
            : LogKeyPrefix + "%%" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(dedupeKey)));
    }

    /// <summary>Dead letters sort newest first.</summary>
    public static string DeadLetter(DateTimeOffset at, string messageId)
        => DeadLetterPrefix + (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + Escape(messageId);

    /// <summary>The smallest string greater than every string with this prefix.</summary>
    public static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    /// <summary>The control queue partition of an instance: a stable hash of its id.</summary>
    public static int ControlPartition(string instanceId, int partitionCount)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(instanceId))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash % (uint)partitionCount);
    }

    /// <summary>Escapes '/', '\', '#', '?', '%' and control characters, which table keys forbid.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
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

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c);
}
