using AgentOrchestrator.DurableTask.Configuration;
using AgentOrchestrator.DurableTask.Sqlite;
using AgentOrchestrator.DurableTask.Tests.Conformance;
using Microsoft.Data.Sqlite;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

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
            await v1.WaitForStatusAsync(id, s => s.SerializedCustomStatus?.Contains("waiting", StringComparison.Ordinal) == true);
        }

        // Version 2, deployed while the instance waits, charges first: its first step no longer matches the history.
        await using var v2 = await StartAsync(first: "ChargeCard");
        await v2.Client.RaiseEventAsync(id, "confirmed", "yes", timeout.Token);
        var done = await v2.WaitAsync(id);

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

    private Task<TestHost> StartAsync(string first)
    {
        var options = new DurableTaskHostOptions { StorageProvider = { DatabaseFile = Path.Combine(_folder, "hub.db") } };
        return TestHost.StartAsync(new SqliteOrchestrationService(OrchestrationServiceFactory.SqliteSettings(options)), r => r
            .AddActivityFunc<string, string>("ReserveStock", (_, sku) => "reserved " + sku)
            .AddActivityFunc<string, string>("ChargeCard", (_, sku) => "charged " + sku)
            .AddOrchestratorFunc<string, string>("Order", async (context, sku) =>
            {
                var step = await context.CallActivityAsync<string>(first, sku);
                context.SetCustomStatus("waiting after " + step);
                var answer = await context.WaitForExternalEvent<string>("confirmed");
                return step + ", " + answer;
            }));
    }
}
