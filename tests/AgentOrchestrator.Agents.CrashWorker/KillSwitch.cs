using AgentOrchestrator.Testing;

namespace AgentOrchestrator.Agents.CrashWorker;

/// <summary>Counts the moments a <see cref="KillPlan"/> names and kills this process with SIGKILL at the chosen one.</summary>
internal sealed class KillSwitch(KillPlan? plan, ToolLedger ledger)
{
    private int _seen;

    /// <summary>Whether <paramref name="point"/> (of <paramref name="tool"/>) is the moment to die; counts it if it matches.</summary>
    public bool IsDue(KillPoint point, string? tool, bool success = true)
    {
        if (plan is null || plan.Point != point || (plan.Tool is not null && plan.Tool != tool) || (plan.SuccessOnly && !success)
            || (plan.Marker is not null && File.Exists(plan.Marker)))
        {
            return false;
        }

        return Interlocked.Increment(ref _seen) == plan.At;
    }

    /// <summary>The delay of a <see cref="KillPoint.During"/> kill.</summary>
    public TimeSpan Delay => plan?.Delay ?? TimeSpan.Zero;

    /// <summary>Says where it dies (standard output, the ledger, the marker file), then sends itself SIGKILL.</summary>
    public void Kill(KillPoint point, string what)
    {
        var line = $"killing {point.ToString().ToLowerInvariant()} {what}";
        ledger.Record(line);
        if (plan?.Marker is { } marker)
        {
            File.WriteAllText(marker, what);
        }

        Console.Out.WriteLine(line);
        Console.Out.Flush();
        SelfKill.Now();
    }
}
