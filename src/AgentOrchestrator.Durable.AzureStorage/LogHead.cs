using Azure;
using Azure.Data.Tables;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>
/// The head row of an instance's event log: the last sequence number readers may see, and, while an append split
/// over several transactions runs, until when its writer holds the log. Every append rewrites it under its ETag.
/// </summary>
internal sealed record LogHead(bool Exists, long Last, DateTimeOffset ReservedUntil, ETag ETag)
{
    /// <summary>The head of a log nobody has written yet.</summary>
    public static LogHead None { get; } = new(false, 0, DateTimeOffset.MinValue, default);

    public static LogHead From(TableEntity entity)
        => new(true, entity.GetInt64("Last") ?? 0, entity.Time("ReservedUntil"), entity.ETag);

    /// <summary>The row that replaces the head: <paramref name="last"/> visible, reserved until <paramref name="reservedUntil"/> (or not).</summary>
    public static TableEntity Row(string partition, long last, DateTimeOffset? reservedUntil)
    {
        var row = new TableEntity(partition, TableKeys.LogHead) { ["Last"] = last };
        row.SetTime("ReservedUntil", reservedUntil ?? DateTimeOffset.MinValue);
        return row;
    }
}
