using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// Who holds a lock: the machine (with, on Linux, its process-id namespace, so containers that share a host name are not
/// confused), the process id and the process's start time (so a later process that reuses the id is not taken for the
/// owner). Stored as <c>scope|pid|startedAtUnixMs</c>. A worker frees the locks of owners in its own scope whose process
/// no longer runs: nothing waits for their expiry.
/// </summary>
internal sealed record LockOwner(string Scope, int ProcessId, long StartedAtUnixMs)
{
    /// <summary>Start times read twice for one process may differ by the clock's granularity; pids are not reused faster.</summary>
    private const long StartTimeToleranceMs = 1000;

    /// <summary>This process.</summary>
    public static LockOwner Current { get; } = ForThisProcess();

    /// <summary>The stored form.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Scope}|{ProcessId}|{StartedAtUnixMs}");

    /// <summary>Reads a stored owner; null when it is not in this format.</summary>
    public static LockOwner? Parse(string value)
    {
        var parts = value.Split('|');
        return parts.Length == 3
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var started)
            ? new LockOwner(parts[0], pid, started)
            : null;
    }

    /// <summary>
    /// True unless this owner is known to be gone: a process of this machine and namespace that no longer runs, or whose id
    /// now belongs to a process started at another time. An owner elsewhere, or one that cannot be checked, counts as alive.
    /// </summary>
    public bool IsAlive()
    {
        if (Scope != Current.Scope)
        {
            return true;
        }

        if (ProcessId == Current.ProcessId)
        {
            return SameStart(Current.StartedAtUnixMs);
        }

        try
        {
            using var process = Process.GetProcessById(ProcessId);
            return !process.HasExited && SameStart(UnixMs(process.StartTime));
        }
        catch (ArgumentException)
        {
            return false; // no process has this id
        }
        catch (InvalidOperationException)
        {
            return false; // it exited while we looked
        }
        catch (Exception e) when (e is Win32Exception or NotSupportedException or UnauthorizedAccessException)
        {
            return true; // cannot tell: leave its locks to expire
        }
    }

    private bool SameStart(long startedAtUnixMs) => Math.Abs(startedAtUnixMs - StartedAtUnixMs) <= StartTimeToleranceMs;

    private static LockOwner ForThisProcess()
    {
        using var process = Process.GetCurrentProcess();
        return new LockOwner($"{Environment.MachineName}/{PidNamespace()}", Environment.ProcessId, UnixMs(process.StartTime));
    }

    private static long UnixMs(DateTime localStartTime) => (long)(localStartTime.ToUniversalTime() - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>The process-id namespace (<c>pid:[4026531836]</c>) on Linux; empty elsewhere.</summary>
    private static string PidNamespace()
    {
        try
        {
            return OperatingSystem.IsLinux() ? new FileInfo("/proc/self/ns/pid").LinkTarget ?? string.Empty : string.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
