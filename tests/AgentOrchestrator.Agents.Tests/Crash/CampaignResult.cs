using System.Text;

namespace AgentOrchestrator.Agents.Tests.Crash;

/// <summary>What a <see cref="SessionCrashCampaign"/> did and found.</summary>
/// <param name="Seed">The seed of the kill plans.</param>
/// <param name="MaxDeliveries">The workers' <c>MaxDeliveryCount</c>, when the campaign set one.</param>
/// <param name="Kills">Every kill, in order.</param>
/// <param name="Orders">Every order session started.</param>
/// <param name="Unfinished">Sessions that did not finish after the campaign (each with where it stands): lost or stuck.</param>
/// <param name="Report">The audit of the services' data and the sessions.</param>
/// <param name="Killing">How long the kills took, sessions running all along.</param>
/// <param name="Recovery">From the end of the kills until every session had finished.</param>
/// <param name="Attempts">Tool attempts per idempotency key, from the workers' ledgers.</param>
/// <param name="Poisoned">The tasks the store set aside as poison (delivered too often without completing).</param>
internal sealed record CampaignResult(
    int Seed,
    int? MaxDeliveries,
    IReadOnlyList<CampaignKill> Kills,
    IReadOnlyList<OrderSession> Orders,
    IReadOnlyList<string> Unfinished,
    OrderAuditReport Report,
    TimeSpan Killing,
    TimeSpan Recovery,
    IReadOnlyDictionary<string, int> Attempts,
    IReadOnlyList<string> Poisoned)
{
    /// <summary>A summary, then one line per kill.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"seed {Seed}: {Kills.Count} kills in {Killing.TotalSeconds:F0} s, then every session finished {Recovery.TotalSeconds:F1} s later ({Unfinished.Count} unfinished)");
        text.AppendLine($"kills by plan: {string.Join(", ", Kills.GroupBy(k => k.Plan.Point).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))}; "
            + $"planned moment did not come (killed by the test instead): {Kills.Count(k => k.Landed.StartsWith("external:", StringComparison.Ordinal))}");
        text.AppendLine($"kills inside a tool call or rollback of a session: {Kills.Count(k => k.Landed.StartsWith("killing ", StringComparison.Ordinal) && k.Landed.Contains(":c", StringComparison.Ordinal))}; "
            + $"tool attempts {Attempts.Values.Sum()} for {Attempts.Count} keys, {Attempts.Count(a => a.Value > 1)} keys attempted more than once (max {(Attempts.Count == 0 ? 0 : Attempts.Values.Max())})");
        text.AppendLine(Report.ToString());
        text.AppendLine($"tasks set aside as poison (MaxDeliveryCount {MaxDeliveries?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}): {Poisoned.Count}");
        foreach (var task in Poisoned)
        {
            text.AppendLine("POISON " + task);
        }

        foreach (var problem in Report.Problems)
        {
            text.AppendLine("PROBLEM " + problem);
        }

        foreach (var session in Unfinished)
        {
            text.AppendLine("UNFINISHED " + session);
        }

        foreach (var kill in Kills)
        {
            text.AppendLine($"kill {kill.Number} {kill.Worker} [{kill.Plan}] exit {kill.ExitCode}: {kill.Landed}");
        }

        return text.ToString();
    }
}
