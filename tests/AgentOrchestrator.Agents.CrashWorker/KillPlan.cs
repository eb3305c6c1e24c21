using System.Globalization;

namespace AgentOrchestrator.Agents.CrashWorker;

/// <summary>
/// When a worker kills itself: at the <see cref="At"/>-th moment of <see cref="Point"/> in this process (counting only calls
/// of <see cref="Tool"/> when it is set, only successful answers when <see cref="SuccessOnly"/>), at most once across
/// restarts when a <see cref="Marker"/> file is given.
/// </summary>
internal sealed record KillPlan(KillPoint Point, int At, string? Tool, TimeSpan Delay, bool SuccessOnly, string? Marker)
{
    /// <summary>
    /// Reads <c>--kill before|during|after|compensation|model --kill-at N [--kill-tool T] [--kill-delay-ms MS]
    /// [--marker FILE]</c>, or the older <c>--crash-after TOOL --marker FILE</c> (after the first success of TOOL); null
    /// when the worker is not to die.
    /// </summary>
    public static KillPlan? From(IReadOnlyDictionary<string, string> options)
    {
        options.TryGetValue("--marker", out var marker);
        if (options.TryGetValue("--crash-after", out var tool))
        {
            return new KillPlan(KillPoint.After, 1, tool, TimeSpan.Zero, SuccessOnly: true, marker);
        }

        if (!options.TryGetValue("--kill", out var point))
        {
            return null;
        }

        options.TryGetValue("--kill-tool", out var only);
        return new KillPlan(
            Enum.Parse<KillPoint>(point, ignoreCase: true),
            options.TryGetValue("--kill-at", out var at) ? int.Parse(at, CultureInfo.InvariantCulture) : 1,
            only,
            TimeSpan.FromMilliseconds(options.TryGetValue("--kill-delay-ms", out var ms) ? int.Parse(ms, CultureInfo.InvariantCulture) : 0),
            SuccessOnly: false,
            marker);
    }
}
