using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace AgentOrchestrator.Testing;

/// <summary>How a crash worker dies at the point it chose: SIGKILL to itself, and nothing after it.</summary>
public static class SelfKill
{
    /// <summary>How long the calling thread waits for its own SIGKILL to land before it gives up on it.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sends this process SIGKILL and never returns. Sending the signal can return before the signal lands, so the calling
    /// thread then waits for it (a commit hook that returned would let SQLite finish the commit it is inside). The wait is
    /// bounded: a process still alive after <see cref="Bound"/> fails fast (exit code 134, not SIGKILL's 137, which the
    /// tests assert), so it can neither go on nor hang.
    /// </summary>
    [DoesNotReturn]
    public static void Now()
    {
        using (var self = Process.GetCurrentProcess())
        {
            self.Kill();
        }

        // No condition in this process can show the signal landed: the wait ends with the process, or at the bound.
        using var endsWithTheProcess = new ManualResetEventSlim();
        endsWithTheProcess.Wait(Bound);
        Environment.FailFast($"SIGKILL sent to this process did not end it within {Bound.TotalSeconds} s.");
    }
}
