using System.Globalization;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using AgentOrchestrator.SampleServices;
using AgentOrchestrator.SampleServices.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AgentOrchestrator.Agents.Tests.Crash;

/// <summary>
/// The session-level crash campaign (<see cref="SessionCrashCampaign"/>): agent worker processes on the SQLite store are
/// killed many times at random moments while order sessions run, and at the end every session has finished its turn,
/// every effect happened once and every declined chain was rolled back once, counted in the CRM and billing data. A short
/// campaign by default (6 kills, well under a minute); <c>AO_CRASH_CAMPAIGN_KILLS=200</c> asks for a long one, and
/// <c>AO_CRASH_CAMPAIGN_SEED</c> repeats a campaign's kill plans (not its timing). docs/RELIABILITY.md has the results.
/// </summary>
[Trait("Category", "CrashCampaign")]
public sealed class SessionCrashCampaignTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int DefaultKills = 6;
    private readonly string _folder = Directory.CreateTempSubdirectory("ao-campaign-").FullName;
    private SampleServicesHost _samples = null!;
    private ServiceProvider _services = null!;
    private AgentSessionClient _client = null!;

    public async Task InitializeAsync()
    {
        _samples = await SampleServicesHost.StartAsync(o =>
        {
            o.Crm.ApiKey = AgentHostSetup.CrmKey;
            o.Billing.ApiKey = AgentHostSetup.BillingKey;

            // The card network takes a moment, while the charge holds its idempotency key: a kill during the request can
            // leave the key claimed, and the next attempt must wait for it rather than charge again.
            o.Billing.Faults.Add(new FaultRule { Operation = "charge_payment", Latency = TimeSpan.FromMilliseconds(40) });
        });
        _services = AgentHostSetup.ClientOnly(Path.Combine(_folder, "sessions.db"));
        _client = _services.GetRequiredService<AgentSessionClient>();
    }

    [Fact]
    public async Task Campaign_WorkersKilledAtRandomMoments_NoSessionLostNoEffectTwiceNoChainLeftUndone()
    {
        var kills = Setting("AO_CRASH_CAMPAIGN_KILLS") ?? DefaultKills;
        var seed = Setting("AO_CRASH_CAMPAIGN_SEED") ?? Random.Shared.Next(1, int.MaxValue);

        var result = await new SessionCrashCampaign(_samples, _client, _folder, kills, seed).RunAsync();

        output.WriteLine(result.Describe());
        Assert.Equal(kills, result.Kills.Count);
        Assert.All(result.Kills, k => Assert.True(k.ExitCode == 137 && !k.Landed.StartsWith("exited", StringComparison.Ordinal), $"kill {k.Number}: exit {k.ExitCode}, {k.Landed}"));
        Assert.True(result.Unfinished.Count == 0, $"Sessions lost or stuck: {string.Join(Environment.NewLine, result.Unfinished)}");
        Assert.True(result.Report.Problems.Count == 0, string.Join(Environment.NewLine, result.Report.Problems));
        Assert.True(result.Report.Declined > 0, "No order had a declined card: the campaign proved nothing about rollbacks.");
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _samples.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held is left for the OS.
        }
    }

    private static int? Setting(string name)
        => int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}
