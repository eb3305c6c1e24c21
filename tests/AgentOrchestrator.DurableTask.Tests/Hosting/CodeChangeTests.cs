using AgentOrchestrator.DurableTask.Configuration;
using AgentOrchestrator.DurableTask.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.DurableTask.Tests.Hosting;

/// <summary>
/// An orchestrator whose code changed under a running instance (deployed without a new version): when the instance
/// next replays on the new code, the Durable Task Framework fails it and says why, instead of running the new code on
/// the old history. docs/RELIABILITY.md (Limits) tells operators how to deploy such changes.
/// </summary>
public sealed class CodeChangeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ao-codechange-").FullName;

    [Fact]
    public async Task OrchestratorChangedUnderARunningInstance_NextReplayFailsItNamingTheRecordedAndTheNewStep()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        const string id = "order-1";

        // Version 1 reserves stock, then waits for the customer's confirmation.
        await using (var v1 = await StartAsync(first: "ReserveStock"))
        {
            await v1.Client.ScheduleNewOrchestrationInstanceAsync("Order", "sku-1", new StartOrchestrationOptions(id), timeout.Token);
            await WaitUntilAsync(v1.Client, id, s => s.SerializedCustomStatus?.Contains("waiting", StringComparison.Ordinal) == true, timeout.Token);
        }

        // Version 2, deployed while the instance waits, charges first: its first step no longer matches the history.
        await using var v2 = await StartAsync(first: "ChargeCard");
        await v2.Client.RaiseEventAsync(id, "confirmed", "yes", timeout.Token);
        var done = await v2.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.NotNull(done.FailureDetails);
        var failure = done.FailureDetails!.ErrorType + ": " + done.FailureDetails.ErrorMessage;
        Assert.Contains("NonDeterministic", failure, StringComparison.Ordinal);
        Assert.Contains("ReserveStock", failure, StringComparison.Ordinal);
        Assert.Contains("ChargeCard", failure, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<RunningHost> StartAsync(string first)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        var options = new DurableTaskHostOptions { StorageProvider = { DatabaseFile = Path.Combine(_folder, "hub.db") } };
        builder.Services.AddDurableTaskHost(_ => new SqliteOrchestrationService(OrchestrationServiceFactory.SqliteSettings(options)), r => r
            .AddActivityFunc<string, string>("ReserveStock", (_, sku) => "reserved " + sku)
            .AddActivityFunc<string, string>("ChargeCard", (_, sku) => "charged " + sku)
            .AddOrchestratorFunc<string, string>("Order", async (context, sku) =>
            {
                var step = await context.CallActivityAsync<string>(first, sku);
                context.SetCustomStatus("waiting after " + step);
                var answer = await context.WaitForExternalEvent<string>("confirmed");
                return step + ", " + answer;
            }));
        var host = builder.Build();
        await host.StartAsync();
        return new RunningHost(host);
    }

    private static async Task WaitUntilAsync(DurableTaskClient client, string id, Func<OrchestrationMetadata, bool> condition, CancellationToken cancellationToken)
    {
        while ((await client.WaitForInstanceStartAsync(id, cancellationToken)) is { } state && !condition(state))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, cancellationToken);
        }
    }

    private sealed class RunningHost(IHost host) : IAsyncDisposable
    {
        public DurableTaskClient Client { get; } = host.Services.GetRequiredService<DurableTaskClient>();

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
