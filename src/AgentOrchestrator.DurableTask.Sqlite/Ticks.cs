namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>The service stores times as UTC ticks; DurableTask.Core speaks UTC <see cref="DateTime"/>s.</summary>
internal static class Ticks
{
    /// <summary>UTC ticks of a DurableTask.Core time (one of unspecified kind is taken as UTC, as DurableTask.Core does).</summary>
    public static long Of(DateTime time) => time.Kind == DateTimeKind.Local ? time.ToUniversalTime().Ticks : time.Ticks;

    /// <summary>A UTC <see cref="DateTime"/> for stored ticks.</summary>
    public static DateTime ToDateTime(long ticks) => new(ticks, DateTimeKind.Utc);

    /// <summary>A UTC <see cref="DateTime"/> for stored ticks, or <paramref name="fallback"/> when there are none.</summary>
    public static DateTime ToDateTime(long? ticks, DateTime fallback) => ticks is { } value ? ToDateTime(value) : fallback;

    /// <summary>Adds a span to ticks without overflowing past <see cref="DateTime.MaxValue"/>.</summary>
    public static long Add(long ticks, TimeSpan span) => span.Ticks > DateTime.MaxValue.Ticks - ticks ? DateTime.MaxValue.Ticks : ticks + span.Ticks;
}
