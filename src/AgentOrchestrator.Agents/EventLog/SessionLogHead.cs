using Azure;
using Azure.Data.Tables;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>
/// The head row of a session's event log: its generation, the last sequence number readers may see, and, while an
/// append split over several transactions runs, which append holds the log and until when. Every append rewrites it
/// under its ETag, so appends from any host are serialized on it.
/// </summary>
internal sealed record SessionLogHead(bool Exists, string Generation, long Last, DateTimeOffset ReservedUntil, string? Owner, ETag ETag)
{
    /// <summary>The head of a log nobody has written (or that was deleted).</summary>
    public static SessionLogHead None { get; } = new(false, string.Empty, 0, DateTimeOffset.MinValue, null, default);

    public static SessionLogHead From(TableEntity row)
        => new(
            true,
            row.GetString("Gen") ?? string.Empty,
            row.GetInt64("Last") ?? 0,
            new DateTimeOffset(row.GetInt64("ReservedUntilTicks") ?? 0, TimeSpan.Zero),
            row.GetString("Owner"),
            row.ETag);

    /// <summary>True while another append than <paramref name="appendId"/> holds the log.</summary>
    public bool IsReservedForOther(string appendId, DateTimeOffset now) => Owner is not null && Owner != appendId && ReservedUntil > now;

    /// <summary>
    /// The row that replaces the head: <paramref name="last"/> visible; held by <paramref name="owner"/> until
    /// <paramref name="reservedUntil"/> when both are given.
    /// </summary>
    public static TableEntity Row(string partition, string generation, long last, string? owner, DateTimeOffset? reservedUntil)
    {
        var row = new TableEntity(partition, SessionLogTableKeys.Head)
        {
            ["Gen"] = generation,
            ["Last"] = last,
            ["ReservedUntilTicks"] = reservedUntil?.UtcTicks ?? 0L,
        };
        if (owner is not null)
        {
            row["Owner"] = owner;
        }

        return row;
    }
}
