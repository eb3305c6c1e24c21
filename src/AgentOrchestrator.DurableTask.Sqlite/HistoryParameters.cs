namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>The parameter names of <see cref="SqliteStatements.AppendHistory"/>, made once.</summary>
internal static class HistoryParameters
{
    /// <summary><c>$s0</c>…: sequence numbers.</summary>
    public static readonly string[] Seq = Names("$s");

    /// <summary><c>$t0</c>…: event types.</summary>
    public static readonly string[] Type = Names("$t");

    /// <summary><c>$e0</c>…: event JSON.</summary>
    public static readonly string[] Event = Names("$e");

    private static string[] Names(string prefix)
        => [.. Enumerable.Range(0, SqliteStatements.HistoryRowsPerInsert).Select(i => prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
