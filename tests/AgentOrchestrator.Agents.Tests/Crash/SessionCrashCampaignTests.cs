using System.Globalization;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using AgentOrchestrator.DurableTask;
using AgentOrchestrator.DurableTask.Sqlite;
using AgentOrchestrator.SampleServices;
using AgentOrchestrator.SampleServices.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AgentOrchestrator.Agents.Tests.Crash;

/// <summary>
/// The session-level crash campaign (<see cref="SessionCrashCampaign"/>): agent worker processes on the SQLite store are
/// killed many times at random moments while order sessions run, and at the end every session has finished its turn,
/// every effect happened once and every declined chain was rolled back once, counted in the CRM and billing data. A short
/// campaign by default (6 kills, well under a minute); <c>AO_CRASH_CAMPAIGN_KILLS=200</c> asks for a long one,
/// <c>AO_CRASH_CAMPAIGN_SEED</c> repeats a campaign's kill plans (not its timing), and
/// <c>AO_CRASH_CAMPAIGN_MAX_DELIVERIES</c> sets the workers' poison limit (the store's default, 10, otherwise).
/// docs/RELIABILITY.md has the results.
/// </summary>
[Trait("Category", "CrashCampaign")]
public sealed class SessionCrashCampaignTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int DefaultKills = 6;
    private readonly string _folder = Directory.CreateTempSubdirectory("ao-campaign-").FullName;
    private SampleServicesHost _samples = null!;
    private ServiceProvider _services = null!;
    private AgentSessionClient _client = null!;
    private bool _passed;

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
        var store = (SqliteOrchestrationService)_services.GetRequiredService<TaskHubStorage>().Service;

        output.WriteLine($"campaign folder (kept if the test fails): {_folder}");
        var result = await new SessionCrashCampaign(_samples, _client, store, _folder, kills, seed, Setting("AO_CRASH_CAMPAIGN_MAX_DELIVERIES")).RunAsync();

        output.WriteLine(result.Describe());
        Assert.Equal(kills, result.Kills.Count);
        Assert.All(result.Kills, k => Assert.True(k.ExitCode == 137 && !k.Landed.StartsWith("exited", StringComparison.Ordinal), $"kill {k.Number}: exit {k.ExitCode}, {k.Landed}"));
        Assert.True(result.Unfinished.Count == 0, $"Sessions lost or stuck: {string.Join(Environment.NewLine, result.Unfinished)}");
        Assert.True(result.Report.Problems.Count == 0, string.Join(Environment.NewLine, [.. result.Report.Problems, .. result.Poisoned.Select(p => "POISON " + p)]));
        Assert.True(result.Report.Declined > 0, "No order had a declined card: the campaign proved nothing about rollbacks.");
        _passed = true;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        if (!_passed)
        {
            // Evidence for a failure: the orchestration store, the event log, the workers' ledgers and the services' data.
            foreach (var file in Directory.GetFiles(_samples.DataFolder, "*.db*"))
            {
                File.Copy(file, Path.Combine(_folder, "samples-" + Path.GetFileName(file)), overwrite: true);
            }
        }

        await _samples.DisposeAsync();
        if (!_passed)
        {
            return;
        }

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
