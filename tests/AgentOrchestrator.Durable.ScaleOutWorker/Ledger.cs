namespace AgentOrchestrator.Durable.ScaleOutWorker;

/// <summary>
/// One worker's record of the activity executions it ran, one line each, flushed as written so a SIGKILL loses at
/// most the line being written. Each worker has its own file; the test reads them all.
/// </summary>
public sealed class Ledger(string path)
{
    private readonly Lock _gate = new();

    /// <summary>Appends "what|instance|step".</summary>
    public void Record(string what, string instanceId, int step)
    {
        lock (_gate)
        {
            File.AppendAllText(path, $"{what}|{instanceId}|{step}\n");
        }
    }

    /// <summary>Reads a ledger file as (what, instance, step) entries; a torn last line is ignored.</summary>
    public static IReadOnlyList<(string What, string InstanceId, int Step)> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var entries = new List<(string, string, int)>();
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split('|');
            if (parts.Length == 3 && int.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var step))
            {
                entries.Add((parts[0], parts[1], step));
            }
        }

        return entries;
    }
}
