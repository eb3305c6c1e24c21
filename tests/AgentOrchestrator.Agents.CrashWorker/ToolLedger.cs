using System.Globalization;

namespace AgentOrchestrator.Agents.CrashWorker;

/// <summary>
/// A line per tool attempt this worker made (<c>started</c>, <c>answered</c>) and where it killed itself, appended to its own
/// file and handed to the OS before the work goes on, so the test can tell which worker did what even after a SIGKILL.
/// </summary>
internal sealed class ToolLedger(string? path, string worker)
{
    private readonly Lock _gate = new();

    public void Record(string what)
    {
        if (path is null)
        {
            return;
        }

        var line = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:O} {worker} {what}{Environment.NewLine}");
        lock (_gate)
        {
            File.AppendAllText(path, line);
        }
    }
}
