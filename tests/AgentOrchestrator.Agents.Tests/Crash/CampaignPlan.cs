using System.Globalization;

namespace AgentOrchestrator.Agents.Tests.Crash;

/// <summary>
/// Where one worker of a crash campaign dies. <c>external</c>: the test sends SIGKILL <see cref="DelayMs"/> after the
/// worker is ready, wherever it is. Otherwise the worker kills itself at the <see cref="At"/>-th moment of the point it
/// names (see the crash worker's <c>KillPoint</c>): <c>before</c> a tool request (just after <c>tool.started</c>),
/// <c>during</c> one (<see cref="DelayMs"/> after sending it), <c>after</c> the service answered, after a
/// <c>compensation</c> answered (mid-rollback), or after the <c>model</c> answered; each before the worker records it.
/// </summary>
internal sealed record CampaignPlan(string Point, int At, int DelayMs)
{
    /// <summary>Draws a plan: a third of the kills at random moments, the rest at the named points, early in the worker's life.</summary>
    public static CampaignPlan Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var roll = random.Next(100);
        return roll switch
        {
            < 30 => new("external", 0, random.Next(0, 3000)),
            < 50 => new("before", 1 + random.Next(4), 0),
            < 65 => new("during", 1 + random.Next(4), random.Next(0, 40)),
            < 80 => new("after", 1 + random.Next(4), 0),
            < 90 => new("compensation", 1 + random.Next(2), 0),
            _ => new("model", 1 + random.Next(6), 0),
        };
    }

    /// <summary>Whether the test, not the worker, does the killing.</summary>
    public bool External => Point == "external";

    /// <summary>The worker's arguments for this plan.</summary>
    public IReadOnlyList<string> Arguments => External
        ? []
        : ["--kill", Point, "--kill-at", At.ToString(CultureInfo.InvariantCulture), "--kill-delay-ms", DelayMs.ToString(CultureInfo.InvariantCulture)];

    /// <inheritdoc />
    public override string ToString() => External ? $"external after {DelayMs} ms" : Point == "during" ? $"during #{At} +{DelayMs} ms" : $"{Point} #{At}";
}
